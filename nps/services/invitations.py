"""Invitations: scheduling on close, and the hiring managers' outbox (outreach.outbox does the sending)."""

import datetime
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nps import emails
from nps.models import Invitation, InvitationPlacement, InvitationToken
from outreach import outbox
from outreach.outbox import TEMPORARY_ERRORS, TemporarySendError  # noqa: F401 - the tasks' retry policy
from placements.models import Placement
from placements.services import contact_opt_out
from surveys.selectors import survey_version_for_client

log = logging.getLogger(__name__)

SKIP_OPTED_OUT = _("The hiring manager opted out of surveys.")
SKIP_NO_SURVEY = _("No survey is published as default for this client or the organisation.")
SKIP_QUIET_PERIOD = _("The hiring manager was already surveyed on %(date)s (quiet period).")
FAIL_OPTED_OUT = _("Not sent: the hiring manager opted out.")
CANCEL_ALL_CANCELLED = _("Cancelled: every placement of this invitation was cancelled.")


def _send_task():
    from nps.tasks import invitation_send

    return invitation_send


def _remind_task():
    from nps.tasks import invitation_remind

    return invitation_remind


INVITATIONS = outbox.Outbox(
    name="invitation",
    model=Invitation,
    token_model=InvitationToken,
    link_field="invitation",
    related=("contact__client", "recruiter", "survey_version", "organisation"),
    message=lambda row, token, kind, sequence: emails.invitation_message(
        invitation=row, token=token, kind=kind, sequence=sequence
    ),
    opted_out=lambda row: row.contact.opted_out_at is not None,
    opt_out=lambda row: contact_opt_out(contact=row.contact),
    opted_out_reason=FAIL_OPTED_OUT,
    expires_at=lambda row, sent_at: sent_at + datetime.timedelta(days=row.organisation.expiry_days),
    send_task=_send_task,
    remind_task=_remind_task,
    max_reminders="organisation__max_reminders",
    reminder_after_days="organisation__reminder_after_days",
    answer_url_name="nps:answer",
    session_key="answer_invitations",
    # The survey version and language never change after sending: a post needs no read before its write.
    session_entry=lambda row: [row.pk, row.survey_version_id, row.language],
    unsubscribe_template="nps/unsubscribe.html",
    unsubscribed_template="nps/unsubscribed.html",
    context=lambda row: {"organisation": row.organisation},
)


def _queue_send(invitation_id: int) -> None:
    INVITATIONS.queue_send(invitation_id)


def _queue_reminder(invitation_id: int, *, force: bool = False) -> None:
    INVITATIONS.queue_reminder(invitation_id, force=force)


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


def invitation_send(*, invitation_id: int) -> str:
    """Send one due invitation at most once; returns what happened (outreach.outbox.Outbox.send)."""
    return INVITATIONS.send(invitation_id)


def invitation_remind(*, invitation_id: int, force: bool = False) -> str:
    return INVITATIONS.remind(invitation_id, force=force)


def send_queue_backlog() -> int | None:
    return outbox.send_queue_backlog()


def invitations_sweep(*, batch: int = 1000) -> dict:
    """Queue every due invitation and reminder that was not sent (see Outbox.sweep)."""
    return INVITATIONS.sweep(batch=batch, backlog=bool(send_queue_backlog()))


def invitations_expire() -> int:
    """Close invitations whose answer window has passed."""
    return INVITATIONS.expire()


def invitation_mark_opened(*, invitation_id: int) -> None:
    INVITATIONS.mark_opened(invitation_id)


def token_invitation(*, token: str) -> Invitation | None:
    """The invitation a token belongs to, or None; the token is matched by its hash only."""
    return INVITATIONS.row_for_token(token)
