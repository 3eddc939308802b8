"""Answering by token: saving as the hiring manager goes, submitting, asking for a call."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evalportal.queries import one_or_none
from nps.models import Answer, Invitation, Response
from nps.services.followups import followup_open_if_needed
from nps.services.summaries import queue_summary_refresh

INVITATION_CLOSED = _("This survey is closed. Thank you for your interest.")
NPS_REQUIRED = _("Please answer the first question (0 to 10) before sending.")


def invitation_is_open(invitation: Invitation, now=None) -> bool:
    now = now or timezone.now()
    return invitation.status == Invitation.Status.SENT and (
        invitation.expires_at is None or invitation.expires_at > now
    )


def _placement_context(invitation: Invitation):
    link = invitation.links.filter(skipped_reason="").select_related("placement").order_by("pk").first()
    return link.placement if link else None


# What saving reads of the locked invitation, its organisation (follow-up rules) and its hiring manager.
LOCKED_FIELDS = (
    "organisation_id",
    "contact_id",
    "recruiter_id",
    "survey_version_id",
    "status",
    "expires_at",
    "opened_at",
    "answered_at",
    "organisation__low_nps_threshold",
    "organisation__low_topic_threshold",
    "organisation__followup_due_working_days",
    "contact__client_id",
)


@transaction.atomic
def response_save(
    *,
    invitation: Invitation,
    nps_score: int | None,
    answers: dict[int, tuple[int, int]],
    comment: str | None,
    submit: bool,
) -> Response:
    """Store the posted answers in one transaction; `answers` maps version topic id to (topic id, score).

    The invitation row is locked first, so simultaneous posts on one token
    run one after the other and never mix; the one-to-one constraint on
    Response is the backstop.
    """
    locked = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organisation", "contact")
        .only(*LOCKED_FIELDS)
        .get(pk=invitation.pk)
    )
    now = timezone.now()
    if not invitation_is_open(locked, now):
        raise ValidationError(INVITATION_CLOSED, code="closed")
    # Read after the lock: a join in the locking query would see the row as it was before the wait.
    response = one_or_none(Response.objects.filter(invitation=locked))
    if submit and nps_score is None and (response is None or response.nps_score is None):
        raise ValidationError(NPS_REQUIRED, code="nps_required")
    created = response is None
    if created:
        # The invitation lock makes this the only writer; the one-to-one constraint is the backstop.
        response = Response.objects.create(
            organisation_id=locked.organisation_id,
            invitation=locked,
            survey_version_id=locked.survey_version_id,
            recruiter_id=locked.recruiter_id,
            client_id=locked.contact.client_id,
            contact_id=locked.contact_id,
            nps_score=nps_score,
            comment=comment or "",
            completed_at=now if submit else None,
            completed_on=timezone.localdate(now) if submit else None,
        )
    changed = []
    if nps_score is not None and response.nps_score != nps_score:
        response.nps_score = nps_score
        changed.append("nps_score")
    if comment is not None and response.comment != comment:
        response.comment = comment
        changed.append("comment")
    if submit and response.completed_at is None:
        response.completed_at = now
        response.completed_on = timezone.localdate(now)
        changed.extend(["completed_at", "completed_on"])
    if changed:
        response.save(update_fields=[*changed, "updated_at"])
    if answers:
        Answer.objects.bulk_create(
            [
                Answer(response=response, version_topic_id=vt, topic_id=topic, score=score)
                for vt, (topic, score) in answers.items()
            ],
            update_conflicts=True,
            unique_fields=["response", "version_topic"],
            update_fields=["score"],
        )
    if submit and locked.answered_at is None:
        Invitation.objects.filter(pk=locked.pk).update(answered_at=now, opened_at=locked.opened_at or now)
    if response.completed_at:
        # A response created just now has only the answers of this post and no follow-up yet.
        followup_open_if_needed(
            response=response,
            organisation=locked.organisation,
            new_scores=[score for _topic, score in answers.values()] if created else None,
        )
        transaction.on_commit(queue_summary_refresh)
    return response


@transaction.atomic
def response_request_call(*, invitation: Invitation) -> Response | None:
    """'Bel mij': the hiring manager asks to be called; this opens a follow-up too."""
    locked = Invitation.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=invitation.pk)
    response = one_or_none(Response.objects.filter(invitation=locked))
    if response is None or response.completed_at is None:
        raise ValidationError(INVITATION_CLOSED, code="closed")
    if response.call_requested_at is None:
        response.call_requested_at = timezone.now()
        response.save(update_fields=["call_requested_at", "updated_at"])
    followup_open_if_needed(response=response, organisation=locked.organisation, call_requested=True)
    return response
