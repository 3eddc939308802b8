"""Follow-ups: opened by low scores or a call request, worked through on the live call."""

import logging
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from evalportal import mail
from evalportal.working_days import add_working_days
from nps import scoring
from nps.models import Answer, FollowUp, Response
from nps.signals import followup_changed, response_changed
from outreach.outbox import deliver_once
from surveys.models import MAX_LIVE_TOPICS, SurveyKind, SurveyVersion

log = logging.getLogger(__name__)

NOT_A_LIVE_VERSION = _("Choose a live conversation survey for the scores on the call.")
TOO_MANY_LIVE_SCORES = _("A live conversation scores at most %(max)d topics.")
UNKNOWN_NEED = _("Choose what you needed from the client from the list.")


def _queue_alert(followup_id: int) -> None:
    from nps.tasks import followup_notify

    try:
        followup_notify.delay(followup_id)
    except Exception as exc:  # noqa: BLE001 - the follow-up is stored; the list shows it even without the email
        log.warning("follow-up %s alert not queued (%s)", followup_id, exc.__class__.__name__)


class FollowUpRules(NamedTuple):
    """What an organisation's follow-up rules need, without loading the organisation."""

    organisation_id: int
    low_nps_threshold: int
    low_topic_threshold: int
    followup_due_working_days: int

    @classmethod
    def of(cls, organisation: Organisation) -> "FollowUpRules":
        return cls(
            organisation.pk,
            organisation.low_nps_threshold,
            organisation.low_topic_threshold,
            organisation.followup_due_working_days,
        )


def followup_open_if_needed(
    *,
    response_id: int,
    nps_score: int | None,
    owner_id: int,
    rules: FollowUpRules,
    call_requested: bool = False,
    new_scores: list[int] | None = None,
) -> FollowUp | None:
    """Open one follow-up per response when a score is low or a call was asked for; the recruiter of
    the response (`owner_id`) owns it.

    Runs inside the caller's transaction; editing the answers later never
    opens a second one, it only adds the new reason to the existing one.
    `new_scores`: the response was created in this transaction with exactly
    these topic scores, so there is nothing to look up.
    """
    if new_scores is not None:
        row = {"lowest": min(new_scores, default=None), "followup_pk": None}
    else:
        # One query for both: the lowest topic score and the follow-up opened before, if any.
        row = (
            Response.objects.filter(pk=response_id)
            .annotate(
                lowest=Min("answers__score"),
                followup_pk=Subquery(FollowUp.objects.filter(response=OuterRef("pk")).values("pk")[:1]),
            )
            .values("lowest", "followup_pk")
            .get()
        )
    thresholds = {"nps_threshold": rules.low_nps_threshold, "topic_threshold": rules.low_topic_threshold}
    low_nps = scoring.is_low(nps_score=nps_score, topic_scores=(), **thresholds)
    lowest = [row["lowest"]] if row["lowest"] is not None else []
    low_topics = scoring.is_low(nps_score=None, topic_scores=lowest, **thresholds)
    existing = FollowUp.objects.get(pk=row["followup_pk"]) if row["followup_pk"] else None
    if existing:
        reasons = {"low_nps": low_nps, "low_topics": low_topics, "call_requested": call_requested}
        changed = [name for name, value in reasons.items() if value and not getattr(existing, name)]
        for name in changed:
            setattr(existing, name, True)
        if changed:
            existing.save(update_fields=[*changed, "updated_at"])
        return existing
    if not (low_nps or low_topics or call_requested):
        return None
    # Callers hold the invitation's row lock, so nobody opens one for this response meanwhile.
    followup = FollowUp.objects.create(
        organisation_id=rules.organisation_id,
        response_id=response_id,
        owner_id=owner_id,
        low_nps=low_nps,
        low_topics=low_topics,
        call_requested=call_requested,
        due_date=add_working_days(timezone.localdate(), rules.followup_due_working_days),
    )
    transaction.on_commit(lambda: _queue_alert(followup.pk))
    return followup


def followup_notify(*, followup_id: int) -> bool:
    """Email the owner once."""
    from nps import emails

    return deliver_once(
        FollowUp.objects.filter(pk=followup_id),
        field="notified_at",
        build=lambda: emails.followup_alert_message(
            followup=FollowUp.objects.select_related("owner", "response__contact__client").get(pk=followup_id)
        ),
    )


@transaction.atomic
def followup_update(
    *, followup: FollowUp, user: User, send_closing_email: bool = False, closing_note: str = "", **fields
) -> FollowUp:
    """Record the call: the three questions, what was needed from the client, status and outcome."""
    needs = fields.get("client_needs", followup.client_needs) or []
    if any(need not in FollowUp.ClientNeed.values for need in needs):
        raise ValidationError(UNKNOWN_NEED, code="need")
    locked = FollowUp.objects.select_for_update().get(pk=followup.pk)
    for name, value in fields.items():
        setattr(locked, name, value)
    was_closed = locked.closed_at is not None
    closed = locked.status not in FollowUp.OPEN_STATUSES
    locked.closed_at = (locked.closed_at or timezone.now()) if closed else None
    locked.full_clean(exclude=["response", "live_response", "owner", "organisation"])
    locked.save()
    from nps.services.evaluation import commitments_from_followup

    commitments_from_followup(followup=locked)  # what both sides expect next time is carried forward
    if closed != was_closed:  # closing (or reopening) counts in the summary as on time or late
        followup_changed.send(sender=FollowUp, followup_id=locked.pk)
    if send_closing_email and closed and locked.closing_email_sent_at is None:
        FollowUp.objects.filter(pk=locked.pk).update(closing_note=closing_note[:2000])
        transaction.on_commit(lambda: _queue_closing(locked.pk))
    return locked


def _queue_closing(followup_id: int) -> None:
    from nps.tasks import followup_send_closing

    try:
        followup_send_closing.delay(followup_id)
    except Exception as exc:  # noqa: BLE001 - the page shows the email as not sent
        log.warning("follow-up %s closing email not queued (%s)", followup_id, exc.__class__.__name__)


def followup_send_closing(*, followup_id: int) -> bool:
    """Send the close-the-loop email once (claim the timestamp first)."""
    from nps import emails

    if not FollowUp.objects.filter(pk=followup_id, closing_email_sent_at__isnull=True).update(
        closing_email_sent_at=timezone.now()
    ):
        return False
    followup = FollowUp.objects.select_related("owner__organisation", "response__contact").get(pk=followup_id)
    try:
        mail.deliver(emails.followup_closing_message(followup=followup, note=followup.closing_note))
    except Exception:
        FollowUp.objects.filter(pk=followup_id).update(closing_email_sent_at=None)
        raise
    return True


@transaction.atomic
def followup_record_live_scores(
    *, followup: FollowUp, version: SurveyVersion, scores: dict[int, int], nps_score: int | None
) -> Response:
    """Store the scores given on the call as a response with channel 'phone' in the same models."""
    if version.kind != SurveyKind.LIVE or version.survey.organisation_id != followup.organisation_id:
        raise ValidationError(NOT_A_LIVE_VERSION, code="not_live")
    if len(scores) > MAX_LIVE_TOPICS:
        raise ValidationError(TOO_MANY_LIVE_SCORES, code="too_many", params={"max": MAX_LIVE_TOPICS})
    topics = {vt.pk: vt for vt in version.topics.all()}
    if any(pk not in topics for pk in scores) or any(not 1 <= s <= 5 for s in scores.values()):
        raise ValidationError(NOT_A_LIVE_VERSION, code="not_live")
    locked = FollowUp.objects.select_for_update().select_related("response").get(pk=followup.pk)
    original = locked.response
    live = locked.live_response
    if live is None or live.survey_version_id != version.pk:
        live = Response.objects.create(
            organisation_id=locked.organisation_id,
            survey_version=version,
            channel=Response.Channel.PHONE,
            recruiter_id=original.recruiter_id,
            client_id=original.client_id,
            contact_id=original.contact_id,
        )
        locked.live_response = live
        locked.save(update_fields=["live_response", "updated_at"])
    live.nps_score = nps_score
    live.completed_at = live.completed_at or timezone.now()
    live.completed_on = timezone.localdate(live.completed_at)
    live.save(update_fields=["nps_score", "completed_at", "completed_on", "updated_at"])
    Answer.objects.filter(response=live).exclude(version_topic_id__in=list(scores)).delete()
    Answer.objects.bulk_create(
        [Answer(response=live, version_topic_id=pk, topic_id=topics[pk].topic_id, score=s) for pk, s in scores.items()],
        update_conflicts=True,
        unique_fields=["response", "version_topic"],
        update_fields=["score"],
    )
    response_changed.send(sender=Response, response_id=live.pk)
    return live


def followups_remind_overdue() -> int:
    """Email each owner once a day about their overdue follow-ups."""
    from nps import emails

    today = timezone.localdate()
    overdue = FollowUp.objects.filter(status__in=FollowUp.OPEN_STATUSES, due_date__lt=today).select_related(
        "owner", "response__contact", "response__client"
    )
    by_owner: dict[int, list[FollowUp]] = {}
    for followup in overdue:
        by_owner.setdefault(followup.owner_id, []).append(followup)
    sent = 0
    for _owner_id, followups in by_owner.items():
        claimed = (
            FollowUp.objects.filter(pk__in=[f.pk for f in followups])
            .exclude(last_overdue_reminder_on=today)
            .update(last_overdue_reminder_on=today)
        )
        if claimed:
            mail.deliver(emails.followups_overdue_message(owner=followups[0].owner, followups=followups))
            sent += 1
    return sent


@transaction.atomic
def followup_record_call(
    *,
    followup: FollowUp,
    user: User,
    fields: dict,
    send_closing_email: bool = False,
    closing_note: str = "",
    live_version: SurveyVersion | None = None,
    live_scores: dict[int, int] | None = None,
    live_nps: int | None = None,
) -> FollowUp:
    """Save the whole follow-up page at once: the call's notes and, when any were given, the scores on the
    call. One transaction, so a refused score never leaves the notes half-saved, nor the other way round."""
    if live_version is not None and (live_scores or live_nps is not None):
        followup_record_live_scores(
            followup=followup, version=live_version, scores=live_scores or {}, nps_score=live_nps
        )
    return followup_update(
        followup=followup, user=user, send_closing_email=send_closing_email, closing_note=closing_note, **fields
    )
