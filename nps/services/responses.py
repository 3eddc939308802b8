"""Answering by token: saving as the hiring manager goes, submitting, asking for a call."""

import datetime

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
    SELECT i.organisation_id, i.contact_id, i.recruiter_id, i.survey_version_id, i.status, i.expires_at,
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
# answers included, so the dashboards' refresh sees the change; a response this post created has
# created_at = updated_at.
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
    RETURNING id, nps_score, completed_at, created_at, updated_at
"""
UPSERT_ANSWERS = """
    INSERT INTO nps_answer (response_id, version_topic_id, topic_id, score) VALUES {rows}
    ON CONFLICT (response_id, version_topic_id) DO UPDATE SET score = excluded.score
"""
MARK_ANSWERED = "UPDATE nps_invitation SET answered_at = %s, opened_at = COALESCE(opened_at, %s) WHERE id = %s"


@transaction.atomic
def response_save(
    *,
    invitation_id: int,
    nps_score: int | None,
    answers: dict[int, tuple[int, int]],
    comment: str | None,
    submit: bool,
) -> int:
    """Store the posted answers in one transaction and return the response's id; `answers` maps version
    topic id to (topic id, score).

    The invitation row is locked first, so simultaneous posts on one token
    run one after the other and never mix; the one-to-one constraint on
    Response is the backstop (the upsert merges into the row it guards).
    """
    now = timezone.now()
    at = connection.ops.adapt_datetimefield_value(now)
    lock = " FOR UPDATE OF i" if connection.features.has_select_for_update_of else ""
    with connection.cursor() as cursor:
        cursor.execute(LOCK_INVITATION + lock, [invitation_id])
        locked = cursor.fetchone()
        if locked is None:
            raise ValidationError(INVITATION_CLOSED, code="closed")
        organisation_id, contact_id, recruiter_id, version_id, status, expires_at, answered_at, client_id = locked[:8]
        if not invitation_is_open(Invitation(status=status, expires_at=_aware(expires_at)), now):
            raise ValidationError(INVITATION_CLOSED, code="closed")
        today = connection.ops.adapt_datefield_value(timezone.localdate(now))
        values = [
            organisation_id, invitation_id, version_id, Response.Channel.ONLINE, recruiter_id, client_id, contact_id,
            nps_score, comment or "", at if submit and nps_score is not None else None, today if submit else None,
            at, at,
        ]  # fmt: skip
        # After the lock, a new statement: it sees what a post that held the lock before committed.
        cursor.execute(UPSERT_RESPONSE, [*values, comment is not None])
        # Plain columns: SQLite (3.40) can answer an expression such as `completed_at IS NOT NULL` wrongly here.
        response_id, stored_score, completed_at, created_at, updated_at = cursor.fetchone()
        completed, created = completed_at is not None, created_at == updated_at
        if submit and not completed:
            raise ValidationError(NPS_REQUIRED, code="nps_required")  # leaving the atomic block undoes the upsert
        if answers:
            rows = [(response_id, vt, topic, score) for vt, (topic, score) in answers.items()]
            cursor.execute(
                UPSERT_ANSWERS.format(rows=", ".join(["(%s, %s, %s, %s)"] * len(rows))),
                [value for row in rows for value in row],
            )
        if submit and answered_at is None:
            cursor.execute(MARK_ANSWERED, [at, at, invitation_id])
    if completed:
        low_nps_threshold, low_topic_threshold, followup_due_working_days = locked[8:]
        # A response created just now has only the answers of this post and no follow-up yet.
        followup_open_if_needed(
            response=Response(
                pk=response_id, organisation_id=organisation_id, recruiter_id=recruiter_id, nps_score=stored_score
            ),
            organisation=Organisation(
                pk=organisation_id,
                low_nps_threshold=low_nps_threshold,
                low_topic_threshold=low_topic_threshold,
                followup_due_working_days=followup_due_working_days,
            ),
            new_scores=[score for _topic, score in answers.values()] if created else None,
        )
        transaction.on_commit(queue_summary_refresh)
    return response_id


def _aware(value: datetime.datetime | None) -> datetime.datetime | None:
    """A time as a plain cursor reads it: SQLite gives it back without its zone, which is UTC."""
    return value.replace(tzinfo=datetime.UTC) if value is not None and timezone.is_naive(value) else value


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
