"""Answering by token: saving as the hiring manager goes, submitting, asking for a call."""

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from evalportal.queries import one_or_none
from nps.models import Invitation, Response
from nps.services.followups import followup_open_if_needed
from nps.services.summaries import queue_summary_refresh

INVITATION_CLOSED = _("This survey is closed. Thank you for your interest.")
NPS_REQUIRED = _("Please answer the first question (0 to 10) before sending.")


def invitation_is_open(invitation: Invitation, now=None) -> bool:
    now = now or timezone.now()
    return invitation.status == Invitation.Status.SENT and (
        invitation.expires_at is None or invitation.expires_at > now
    )


# Saving is the write every hiring manager's click makes (autosave, then submit), so it is four statements
# of SQL: written with the ORM, the same work cost the web process twice the CPU, most of it compiling
# queries. The SQL is plain enough for PostgreSQL and SQLite (3.35+ for RETURNING); only the row lock is
# PostgreSQL's (SQLite lets one writer in at a time anyway).

# The invitation, locked, with what saving needs of its organisation (follow-up rules) and hiring manager.
LOCK_INVITATION = """
    SELECT i.id, i.organisation_id, i.contact_id, i.recruiter_id, i.survey_version_id, i.status, i.expires_at,
           i.answered_at, c.client_id, o.low_nps_threshold, o.low_topic_threshold, o.followup_due_working_days
    FROM nps_invitation i
    JOIN placements_contact c ON c.id = i.contact_id
    JOIN accounts_organisation o ON o.id = i.organisation_id
    WHERE i.id = %s
"""
# One response per invitation: created by the first post, merged into by the later ones. A score or
# comment left out keeps the stored one; the first submit with an NPS score, sent now or saved before,
# sets the completion time (an online response is complete only with its score, a check constraint that
# also holds for the row proposed before the conflict). A submit carries its day in completed_on; a
# submit that ends without a completion time is refused and rolled back. updated_at moves on every save,
# answers included, so the dashboards' refresh sees the change.
UPSERT_RESPONSE = """
    INSERT INTO nps_response (organisation_id, invitation_id, survey_version_id, channel, recruiter_id,
                              client_id, contact_id, nps_score, comment, completed_at, completed_on,
                              created_at, updated_at)
    VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
    ON CONFLICT (invitation_id) DO UPDATE SET
        nps_score = COALESCE(excluded.nps_score, nps_response.nps_score),
        comment = CASE WHEN %s THEN excluded.comment ELSE nps_response.comment END,
        completed_at = COALESCE(nps_response.completed_at, CASE
            WHEN COALESCE(excluded.nps_score, nps_response.nps_score) IS NOT NULL AND excluded.completed_on IS NOT NULL
            THEN excluded.updated_at END),
        completed_on = COALESCE(nps_response.completed_on, CASE
            WHEN COALESCE(excluded.nps_score, nps_response.nps_score) IS NOT NULL THEN excluded.completed_on END),
        updated_at = excluded.updated_at
    RETURNING *
"""
UPSERT_ANSWERS = """
    INSERT INTO nps_answer (response_id, version_topic_id, topic_id, score) VALUES {rows}
    ON CONFLICT (response_id, version_topic_id) DO UPDATE SET score = excluded.score
"""
MARK_ANSWERED = "UPDATE nps_invitation SET answered_at = %s, opened_at = COALESCE(opened_at, %s) WHERE id = %s"


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
    Response is the backstop (the upsert merges into the row it guards).
    """
    now = timezone.now()
    at = connection.ops.adapt_datetimefield_value(now)
    lock = " FOR UPDATE OF i" if connection.features.has_select_for_update_of else ""
    locked = next(iter(Invitation.objects.raw(LOCK_INVITATION + lock, [invitation.pk])), None)
    if locked is None or not invitation_is_open(locked, now):
        raise ValidationError(INVITATION_CLOSED, code="closed")
    today = connection.ops.adapt_datefield_value(timezone.localdate(now))
    values = [
        locked.organisation_id, invitation.pk, locked.survey_version_id, Response.Channel.ONLINE, locked.recruiter_id,
        locked.client_id, locked.contact_id, nps_score, comment or "",
        at if submit and nps_score is not None else None, today if submit else None, at, at,
    ]  # fmt: skip
    # After the lock, a new statement: it sees what a post that held the lock before committed.
    response = next(iter(Response.objects.raw(UPSERT_RESPONSE, [*values, comment is not None])))
    if submit and response.completed_at is None:
        raise ValidationError(NPS_REQUIRED, code="nps_required")  # leaving the atomic block undoes the upsert
    created = response.created_at == now
    with connection.cursor() as cursor:
        if answers:
            rows = [(response.pk, vt, topic, score) for vt, (topic, score) in answers.items()]
            cursor.execute(
                UPSERT_ANSWERS.format(rows=", ".join(["(%s, %s, %s, %s)"] * len(rows))),
                [value for row in rows for value in row],
            )
        if submit and locked.answered_at is None:
            cursor.execute(MARK_ANSWERED, [at, at, invitation.pk])
    if response.completed_at:
        organisation = Organisation(
            pk=locked.organisation_id,
            low_nps_threshold=locked.low_nps_threshold,
            low_topic_threshold=locked.low_topic_threshold,
            followup_due_working_days=locked.followup_due_working_days,
        )
        # A response created just now has only the answers of this post and no follow-up yet.
        followup_open_if_needed(
            response=response,
            organisation=organisation,
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
