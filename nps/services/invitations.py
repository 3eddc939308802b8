"""Invitations: scheduling on close, sending through the outbox, reminders and expiry."""

import datetime
import logging
import smtplib
import socket

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evalportal import mail
from evalportal.queries import one_or_none
from nps import emails, tokens
from nps.models import Invitation, InvitationPlacement, InvitationToken
from placements.models import Placement
from surveys.selectors import survey_version_for_client

log = logging.getLogger(__name__)

SKIP_OPTED_OUT = _("The hiring manager opted out of surveys.")
SKIP_NO_SURVEY = _("No survey is published as default for this client or the organisation.")
SKIP_QUIET_PERIOD = _("The hiring manager was already surveyed on %(date)s (quiet period).")
FAIL_OPTED_OUT = _("Not sent: the hiring manager opted out.")
CANCEL_ALL_CANCELLED = _("Cancelled: every placement of this invitation was cancelled.")

# Errors worth another try: the mail server or the network, not our data.
TEMPORARY_ERRORS = (smtplib.SMTPException, socket.timeout, ConnectionError, OSError)


class TemporarySendError(Exception):
    """Sending failed for now; the task retries with backoff."""


def _lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.INVITATION_CLAIM_LEASE_SECONDS)


def _max_attempts() -> int:
    return getattr(settings, "INVITATION_MAX_ATTEMPTS", 6)


def _queue_send(invitation_id: int) -> None:
    """Publish the send task; a broker that is down only delays the email (the sweep sends it)."""
    from nps.tasks import invitation_send as invitation_send_task

    try:
        invitation_send_task.delay(invitation_id)
    except Exception as exc:  # noqa: BLE001 - any broker failure: leave it to the sweep
        log.warning("invitation %s not queued (%s); the sweep will send it", invitation_id, exc.__class__.__name__)
        Invitation.objects.filter(pk=invitation_id).update(queued_at=None)


# No savepoint: it runs inside the close's transaction, and any error undoes the close as well.
@transaction.atomic(savepoint=False)
def invitation_schedule(*, placement: Placement) -> InvitationPlacement:
    """Schedule the survey for a closed placement: exactly one link per placement.

    Called once, by the close that holds the row locks of the placement and
    its hiring manager (see placements.signals); the one-to-one link
    (InvitationPlacement.placement) backs that up. Inside the quiet period the
    placement joins the unsent invitation of the same hiring manager, or is
    skipped with the reason when the email went.
    """
    # One hiring manager at a time: two placements closing together must not make two emails.
    # The close locked this row in the query that read the placement.
    contact = placement.contact
    organisation = placement.organisation
    now = timezone.now()
    if contact.opted_out_at:
        return InvitationPlacement.objects.create(placement=placement, skipped_reason=str(SKIP_OPTED_OUT))
    quiet_since = now - datetime.timedelta(days=organisation.quiet_period_days)
    # One query for both: an invitation still to be sent, and the last one sent in the quiet period.
    candidates = list(
        Invitation.objects.filter(contact=contact)
        .filter(Q(status__in=[Invitation.Status.SCHEDULED, Invitation.Status.SENDING]) | Q(sent_at__gte=quiet_since))
        .order_by("-created_at")[:10]
    )
    pending = next(
        (i for i in candidates if i.status in (Invitation.Status.SCHEDULED, Invitation.Status.SENDING)), None
    )
    if pending and pending.status == Invitation.Status.SCHEDULED:
        return InvitationPlacement.objects.create(placement=placement, invitation=pending)
    recent = max((i for i in candidates if i.sent_at), key=lambda i: i.sent_at, default=None) or pending
    if recent:
        when = timezone.localtime(recent.sent_at or now).date()
        return InvitationPlacement.objects.create(
            placement=placement,
            invitation=recent,
            skipped_reason=str(SKIP_QUIET_PERIOD % {"date": when.strftime("%d-%m-%Y")}),
        )
    version = survey_version_for_client(organisation=organisation, client=placement.client)
    if version is None:
        return InvitationPlacement.objects.create(placement=placement, skipped_reason=str(SKIP_NO_SURVEY))
    send_after = now + datetime.timedelta(days=organisation.invitation_delay_days)
    due_now = send_after <= now
    invitation = Invitation.objects.create(
        organisation=organisation,
        contact=contact,
        recruiter_id=placement.recruiter_id,
        survey_version=version,
        language=contact.language,
        send_after=send_after,
        queued_at=now if due_now else None,
    )
    link = InvitationPlacement.objects.create(placement=placement, invitation=invitation)
    if due_now:
        transaction.on_commit(lambda: _queue_send(invitation.pk))
    return link


@transaction.atomic
def invitation_cancel_for_placement(*, placement: Placement) -> None:
    """A cancelled placement leaves its unsent invitation; with no placement left it is cancelled."""
    link = InvitationPlacement.objects.filter(placement=placement).select_related("invitation").first()
    if link is None or link.invitation is None or link.skipped_reason:
        return
    invitation = Invitation.objects.select_for_update().get(pk=link.invitation_id)
    if invitation.status != Invitation.Status.SCHEDULED:
        return
    remaining = invitation.links.filter(skipped_reason="").exclude(placement__status=Placement.Status.CANCELLED)
    if not remaining.exists():
        invitation_cancel(invitation=invitation, reason=str(CANCEL_ALL_CANCELLED))


@transaction.atomic
def invitation_cancel(*, invitation: Invitation, reason: str = "") -> bool:
    """Cancel an invitation that has not been sent. Returns whether it was cancelled."""
    changed = Invitation.objects.filter(
        pk=invitation.pk, status__in=[Invitation.Status.SCHEDULED, Invitation.Status.FAILED]
    ).update(status=Invitation.Status.CANCELLED, cancelled_at=timezone.now(), last_error=reason[:300])
    return changed == 1


@transaction.atomic
def invitation_resend(*, invitation: Invitation) -> bool:
    """Send again now: a failed or cancelled invitation is rescheduled; a sent one gets a reminder."""
    now = timezone.now()
    if invitation.status in (Invitation.Status.FAILED, Invitation.Status.CANCELLED, Invitation.Status.SCHEDULED):
        changed = Invitation.objects.filter(pk=invitation.pk, status=invitation.status).update(
            status=Invitation.Status.SCHEDULED,
            send_after=now,
            attempts=0,
            last_error="",
            cancelled_at=None,
            queued_at=now,
        )
        if changed:
            transaction.on_commit(lambda: _queue_send(invitation.pk))
        return changed == 1
    if invitation.status == Invitation.Status.SENT and not invitation.answered_at:
        transaction.on_commit(lambda: _queue_reminder(invitation.pk, force=True))
        return True
    return False


def _claim(invitation_id: int, now: datetime.datetime) -> bool:
    """Claim the row (scheduled -> sending); a stale claim of a dead worker may be taken over."""
    return (
        Invitation.objects.filter(pk=invitation_id, send_after__lte=now)
        .filter(
            Q(status=Invitation.Status.SCHEDULED) | Q(status=Invitation.Status.SENDING, claimed_at__lt=now - _lease())
        )
        .update(status=Invitation.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
        == 1
    )


def invitation_send(*, invitation_id: int) -> str:
    """Send one due invitation at most once; returns what happened.

    Claim, then a fresh token is committed before the email leaves, so every
    link that was ever sent works. Only a crash between the SMTP server's OK
    and the final update can repeat the email, with the same Message-ID.
    """
    now = timezone.now()
    if not _claim(invitation_id, now):
        return "not-claimed"
    invitation = Invitation.objects.select_related(
        "contact__client", "recruiter", "survey_version", "organisation"
    ).get(pk=invitation_id)
    if invitation.contact.opted_out_at:
        Invitation.objects.filter(pk=invitation_id).update(
            status=Invitation.Status.CANCELLED, cancelled_at=now, last_error=str(FAIL_OPTED_OUT)
        )
        return "opted-out"
    token = tokens.new_token()
    InvitationToken.objects.create(invitation=invitation, token_hash=tokens.token_hash(token))
    message = emails.invitation_message(invitation=invitation, token=token, kind="invitation")
    try:
        mail.deliver(message)
    except TEMPORARY_ERRORS as exc:
        return _send_failed(invitation, exc)
    Invitation.objects.filter(pk=invitation_id, status=Invitation.Status.SENDING).update(
        status=Invitation.Status.SENT,
        sent_at=timezone.now(),
        expires_at=timezone.now() + datetime.timedelta(days=invitation.organisation.expiry_days),
        last_error="",
    )
    log.info("invitation %s sent", invitation_id)
    return "sent"


def _send_failed(invitation: Invitation, exc: Exception) -> str:
    reason = f"{exc.__class__.__name__}: {exc}"[:300]
    if invitation.attempts >= _max_attempts():
        Invitation.objects.filter(pk=invitation.pk).update(status=Invitation.Status.FAILED, last_error=reason)
        log.warning("invitation %s failed after %s attempts", invitation.pk, invitation.attempts)
        return "failed"
    backoff = datetime.timedelta(seconds=min(30 * 2 ** (invitation.attempts - 1), 1800))
    Invitation.objects.filter(pk=invitation.pk).update(
        status=Invitation.Status.SCHEDULED,
        send_after=timezone.now() + backoff,
        last_error=reason,
        queued_at=timezone.now(),
    )
    raise TemporarySendError(reason) from exc


def _queue_reminder(invitation_id: int, *, force: bool = False) -> None:
    from nps.tasks import invitation_remind as invitation_remind_task

    try:
        invitation_remind_task.delay(invitation_id, force)
    except Exception as exc:  # noqa: BLE001
        log.warning("reminder %s not queued (%s)", invitation_id, exc.__class__.__name__)


def _reminder_due_filter(now: datetime.datetime, *, force: bool = False) -> Q:
    """Sent, unanswered, not expired, not being reminded; within the organisation's maximum unless forced."""
    due = Q(status=Invitation.Status.SENT, answered_at__isnull=True, expires_at__gt=now, reminders_sent__lt=2) & (
        Q(reminder_claimed_at__isnull=True) | Q(reminder_claimed_at__lt=now - _lease())
    )
    return due if force else due & Q(reminders_sent__lt=F("organisation__max_reminders"))


def invitation_remind(*, invitation_id: int, force: bool = False) -> str:
    """Send one reminder, claimed like the invitation itself (a nullable timestamp)."""
    now = timezone.now()
    invitation = Invitation.objects.select_related("organisation").get(pk=invitation_id)
    if not force:
        last = invitation.last_reminded_at or invitation.sent_at
        if last is None or last > now - datetime.timedelta(days=invitation.organisation.reminder_after_days):
            return "not-due"
    claim = Invitation.objects.filter(_reminder_due_filter(now, force=force), pk=invitation_id)
    if not force:
        claim = claim.filter(reminders_sent=invitation.reminders_sent)
    if claim.update(reminder_claimed_at=now) != 1:
        return "not-claimed"
    invitation = Invitation.objects.select_related(
        "contact__client", "recruiter", "survey_version", "organisation"
    ).get(pk=invitation_id)
    if invitation.contact.opted_out_at:
        return "opted-out"
    token = tokens.new_token()
    InvitationToken.objects.create(invitation=invitation, token_hash=tokens.token_hash(token))
    message = emails.invitation_message(
        invitation=invitation, token=token, kind="reminder", sequence=invitation.reminders_sent + 1
    )
    try:
        mail.deliver(message)
    except TEMPORARY_ERRORS as exc:
        Invitation.objects.filter(pk=invitation_id).update(reminder_claimed_at=None)
        raise TemporarySendError(str(exc)) from exc
    Invitation.objects.filter(pk=invitation_id).update(
        reminders_sent=F("reminders_sent") + 1, last_reminded_at=timezone.now(), reminder_claimed_at=None
    )
    return "reminded"


def send_queue_backlog() -> int | None:
    """How many messages wait in the send queue, or None when the broker cannot say."""
    from kombu.exceptions import ChannelError

    from nps.tasks import invitation_send as invitation_send_task

    try:
        with invitation_send_task.app.connection_for_write() as connection:
            queue = invitation_send_task.app.conf.task_default_queue
            return connection.default_channel.queue_declare(queue=queue, passive=True).message_count
    except ChannelError:  # no such queue yet: nothing was ever queued
        return 0
    except Exception as exc:  # noqa: BLE001 - any broker failure: sweep as if the queue were empty
        log.info("send queue length unknown (%s)", exc.__class__.__name__)
        return None


def invitations_sweep(*, batch: int = 1000) -> dict:
    """Queue every due invitation and reminder that was not sent: lost messages are delayed, never lost.

    A message unanswered for INVITATION_REQUEUE_AFTER_SECONDS is queued again. While messages still
    wait in the send queue the workers are busy rather than the message lost, so then only those
    unanswered for the claim lease are: a burst of thousands of closes is not sent a second time
    through the queue (each duplicate is refused by the claim, but costs the workers a task).
    """
    now = timezone.now()
    wait = settings.INVITATION_REQUEUE_AFTER_SECONDS
    if send_queue_backlog():
        wait = max(wait, settings.INVITATION_CLAIM_LEASE_SECONDS)
    requeue_before = now - datetime.timedelta(seconds=wait)
    due = Invitation.objects.filter(
        Q(status=Invitation.Status.SCHEDULED, send_after__lte=now)
        | Q(status=Invitation.Status.SENDING, claimed_at__lt=now - _lease())
    ).filter(Q(queued_at__isnull=True) | Q(queued_at__lt=requeue_before))
    ids = list(due.order_by("send_after").values_list("pk", flat=True)[:batch])
    if ids:
        Invitation.objects.filter(pk__in=ids).update(queued_at=now)
        for pk in ids:
            _queue_send(pk)
    reminders = 0
    candidates = Invitation.objects.filter(_reminder_due_filter(now)).select_related("organisation")
    for invitation in candidates.only("pk", "sent_at", "last_reminded_at", "organisation__reminder_after_days")[:batch]:
        last = invitation.last_reminded_at or invitation.sent_at
        if last <= now - datetime.timedelta(days=invitation.organisation.reminder_after_days):
            _queue_reminder(invitation.pk)
            reminders += 1
    return {"sends": len(ids), "reminders": reminders}


def invitations_expire() -> int:
    """Close invitations whose answer window has passed."""
    return Invitation.objects.filter(status=Invitation.Status.SENT, expires_at__lte=timezone.now()).update(
        status=Invitation.Status.EXPIRED
    )


def invitation_mark_opened(*, invitation_id: int) -> None:
    Invitation.objects.filter(pk=invitation_id, opened_at__isnull=True).update(opened_at=timezone.now())


def token_invitation(*, token: str) -> Invitation | None:
    """The invitation a token belongs to, or None; the token is matched by its hash only."""
    if not tokens.looks_like_token(token):
        return None
    row = one_or_none(InvitationToken.objects.filter(token_hash=tokens.token_hash(token)).only("invitation_id"))
    return one_or_none(Invitation.objects.filter(pk=row.invitation_id)) if row else None
