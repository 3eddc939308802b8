"""Answering by token: saving as the hiring manager goes, submitting, asking for a call."""

import datetime
from collections import namedtuple
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evalportal.queries import one_or_none
from nps.models import Invitation, Response
from nps.services.followups import FollowUpRules, followup_open_if_needed
from nps.signals import response_changed

INVITATION_CLOSED = _("This survey is closed. Thank you for your interest.")
NPS_REQUIRED = _("Please answer the first question (0 to 10) before sending.")


def invitation_is_open(invitation: Invitation, now=None) -> bool:
    return is_open(invitation.status, invitation.expires_at, now or timezone.now())


def is_open(status: str, expires_at: datetime.datetime | None, now: datetime.datetime) -> bool:
    """The rule: an invitation takes answers once sent and until it expires."""
    return status == Invitation.Status.SENT and (expires_at is None or expires_at > now)


# Saving is the write every hiring manager's click makes (autosave, then submit), so it is plain SQL:
# written with the ORM, the same work cost the web process twice the CPU, most of it compiling queries.
# Four writes: lock the invitation, upsert the response, upsert its answers, mark the invitation
# answered. PostgreSQL runs them as one statement (one round trip between BEGIN and COMMIT); SQLite
# (3.35+ for RETURNING), which has no writes inside WITH, runs the same SQL as four statements, and
# lets one writer in at a time anyway. Both answer with the locked invitation and the saved response;
# response_save then refuses a closed invitation or a submit without a score by rolling back.

# The invitation with what saving needs of its organisation (follow-up rules) and hiring manager. Rows
# are read by column name (Locked, Saved below): adding a column changes its list here and nothing else.
LOCKED_COLUMNS = (
    "i.organisation_id", "i.contact_id", "i.recruiter_id", "i.survey_version_id", "i.status", "i.expires_at",
    "i.answered_at", "c.client_id", "o.low_nps_threshold", "o.low_topic_threshold", "o.followup_due_working_days",
)  # fmt: skip
Locked = namedtuple("Locked", [column.split(".")[1] for column in LOCKED_COLUMNS])
SAVED_COLUMNS = ("id", "nps_score", "completed_at", "created_at", "updated_at")
Saved = namedtuple("Saved", SAVED_COLUMNS)
LOCK_INVITATION = f"""
    SELECT {", ".join(LOCKED_COLUMNS)}
    FROM nps_invitation i
    JOIN placements_contact c ON c.id = i.contact_id
    JOIN accounts_organisation o ON o.id = i.organisation_id
    WHERE i.id = %s
"""  # noqa: S608 - made of the constants here; values travel as parameters
RESPONSE_COLUMNS = """organisation_id, invitation_id, survey_version_id, channel, recruiter_id, client_id,
                      contact_id, nps_score, comment, completed_at, completed_on, created_at, updated_at"""
# One response per invitation: created by the first post, merged into by the later ones. A score or
# comment left out keeps the stored one; the first submit with an NPS score, sent now or saved before,
# sets the completion time (an online response is complete only with its score, a check constraint that
# also holds for the row proposed before the conflict). A submit carries its day in completed_on.
# updated_at moves on every save, answers included, so the dashboards' refresh sees the change; a
# response this post created has created_at = updated_at. The merge reads the latest committed row, also
# one a simultaneous post committed while this one waited for the lock. Plain columns are returned:
# SQLite (3.40) can answer an expression such as `completed_at IS NOT NULL` wrongly here.
MERGE_RESPONSE = f"""
    ON CONFLICT (invitation_id) DO UPDATE SET
        nps_score = COALESCE(excluded.nps_score, nps_response.nps_score),
        comment = CASE WHEN %s THEN excluded.comment ELSE nps_response.comment END,
        completed_at = COALESCE(nps_response.completed_at, CASE
            WHEN COALESCE(excluded.nps_score, nps_response.nps_score) IS NOT NULL AND excluded.completed_on IS NOT NULL
            THEN excluded.updated_at END),
        completed_on = COALESCE(nps_response.completed_on, CASE
            WHEN COALESCE(excluded.nps_score, nps_response.nps_score) IS NOT NULL THEN excluded.completed_on END),
        updated_at = excluded.updated_at
    RETURNING {", ".join(SAVED_COLUMNS)}
"""
MERGE_ANSWERS = "ON CONFLICT (response_id, version_topic_id) DO UPDATE SET score = excluded.score"

# SQLite, statement by statement.
UPSERT_RESPONSE = f"""
    INSERT INTO nps_response ({RESPONSE_COLUMNS})
    VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) {MERGE_RESPONSE}
"""  # noqa: S608 - made of the constants here; values travel as parameters
UPSERT_ANSWERS = (
    "INSERT INTO nps_answer (response_id, version_topic_id, topic_id, score) VALUES {rows} "  # noqa: S608 - as above
    + MERGE_ANSWERS
)
MARK_ANSWERED = "UPDATE nps_invitation SET answered_at = %s, opened_at = COALESCE(opened_at, %s) WHERE id = %s"

# PostgreSQL, at once. Each write takes its rows from the one before (RETURNING), so the response is
# written only after the lock is held. Values that may be NULL carry their type.
SAVE_AT_ONCE = f"""
    WITH locked AS ({LOCK_INVITATION} FOR UPDATE OF i),
    response AS (
        INSERT INTO nps_response ({RESPONSE_COLUMNS})
        SELECT organisation_id, %s, survey_version_id, %s, recruiter_id, client_id, contact_id, %s::integer,
               %s::text, %s::timestamptz, %s::date, %s::timestamptz, %s::timestamptz
        FROM locked
        {MERGE_RESPONSE}
    ){{answers}},
    answered AS (
        UPDATE nps_invitation i SET answered_at = %s, opened_at = COALESCE(i.opened_at, %s)
        FROM locked WHERE i.id = %s AND %s AND locked.answered_at IS NULL
    )
    SELECT locked.*, response.* FROM locked LEFT JOIN response ON true
"""  # noqa: S608 - as above
ANSWERS_AT_ONCE = f""",
    answers AS (
        INSERT INTO nps_answer (response_id, version_topic_id, topic_id, score)
        SELECT response.id, v.version_topic_id, v.topic_id, v.score
        FROM response, (VALUES {{rows}}) AS v (version_topic_id, topic_id, score)
        {MERGE_ANSWERS}
    )"""  # noqa: S608 - as above


class Proposed(NamedTuple):
    """The response one post proposes, in RESPONSE_COLUMNS' order after the columns the invitation gives."""

    channel: str
    nps_score: int | None
    comment: str
    completed_at: object
    completed_on: object
    created_at: object
    updated_at: object


class Post(NamedTuple):
    """What one post asks the save to write."""

    response: Proposed
    comment_sent: bool
    answers: list[tuple[int, int, int]]  # (version topic id, topic id, score)
    submit: bool
    at: object  # the time, as the database takes it


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
    today = connection.ops.adapt_datefield_value(timezone.localdate(now))
    proposed = Post(
        Proposed(Response.Channel.ONLINE, nps_score, comment or "", at if submit and nps_score is not None else None,
                 today if submit else None, at, at),
        comment_sent=comment is not None,
        answers=[(vt, topic, score) for vt, (topic, score) in answers.items()],
        submit=submit,
        at=at,
    )  # fmt: skip
    write = _write_at_once if connection.vendor == "postgresql" else _write_step_by_step
    with connection.cursor() as cursor:
        locked, saved = write(cursor, invitation_id, proposed)
    if locked is None:
        raise ValidationError(INVITATION_CLOSED, code="closed")
    # Raising leaves the atomic block, which undoes the writes.
    if not is_open(locked.status, _aware(locked.expires_at), now):
        raise ValidationError(INVITATION_CLOSED, code="closed")
    if submit and saved.completed_at is None:
        raise ValidationError(NPS_REQUIRED, code="nps_required")
    if saved.completed_at is not None:
        # A response created just now has only the answers of this post and no follow-up yet.
        followup_open_if_needed(
            response_id=saved.id,
            nps_score=saved.nps_score,
            owner_id=locked.recruiter_id,
            rules=FollowUpRules(
                locked.organisation_id,
                locked.low_nps_threshold,
                locked.low_topic_threshold,
                locked.followup_due_working_days,
            ),
            new_scores=[score for _vt, _topic, score in proposed.answers]
            if saved.created_at == saved.updated_at
            else None,
        )
        response_changed.send(sender=Response, response_id=saved.id)
    return saved.id


def _write_at_once(cursor, invitation_id: int, post: Post):
    """PostgreSQL: the four writes in one statement; (locked invitation, saved response) or (None, None)."""
    rows = ", ".join(["(%s, %s, %s)"] * len(post.answers))
    cursor.execute(
        SAVE_AT_ONCE.format(answers=ANSWERS_AT_ONCE.format(rows=rows) if post.answers else ""),
        [
            invitation_id,  # the lock
            invitation_id, *post.response, post.comment_sent,  # the response
            *[value for answer in post.answers for value in answer],  # its answers
            post.at, post.at, invitation_id, post.submit,  # the invitation answered
        ],
    )  # fmt: skip
    row = cursor.fetchone()
    if row is None:
        return None, None
    return Locked(*row[: len(Locked._fields)]), Saved(*row[len(Locked._fields) :])


def _write_step_by_step(cursor, invitation_id: int, post: Post):
    """SQLite: the same writes one by one."""
    cursor.execute(LOCK_INVITATION, [invitation_id])
    row = cursor.fetchone()
    if row is None:
        return None, None
    locked, proposed = Locked(*row), post.response
    cursor.execute(
        UPSERT_RESPONSE,
        [locked.organisation_id, invitation_id, locked.survey_version_id, proposed.channel, locked.recruiter_id,
         locked.client_id, locked.contact_id, proposed.nps_score, proposed.comment, proposed.completed_at,
         proposed.completed_on, proposed.created_at, proposed.updated_at, post.comment_sent],
    )  # fmt: skip
    saved = Saved(*cursor.fetchone())
    if post.answers:
        cursor.execute(
            UPSERT_ANSWERS.format(rows=", ".join(["(%s, %s, %s, %s)"] * len(post.answers))),
            [value for answer in post.answers for value in (saved.id, *answer)],
        )
    if post.submit and locked.answered_at is None:
        cursor.execute(MARK_ANSWERED, [post.at, post.at, invitation_id])
    return locked, saved


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
    followup_open_if_needed(
        response_id=response.pk,
        nps_score=response.nps_score,
        owner_id=response.recruiter_id,
        rules=FollowUpRules.of(locked.organisation),
        call_requested=True,
    )
    return response
