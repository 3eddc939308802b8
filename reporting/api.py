"""The read API for BI tools: the organisation's responses, follow-ups and monthly summaries.

Read-only keys only (an integration with access "read"); an ATS's key is refused with 403. Lists are
paginated by an opaque cursor in a stable order (`updated_at`, then id) and filtered by `updated_since`, so a
BI tool reads everything once and then only what changed. Personal data stays out: no comments, no notes, no
hiring managers' or candidates' names or addresses; recruiters are named by their work address.
"""

import base64
import datetime
import json

from django.db.models import Q
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from nps.models import FollowUp, NpsSummary, Response, SummaryGrain
from placements.api import CALL_ERRORS, ApiKeyAuth, ErrorOut
from placements.models import Integration

router = Router(auth=ApiKeyAuth(access=Integration.Access.READ), tags=["read (BI)"])
MAX_LIMIT = 500


class Page(Schema):
    updated_since: datetime.datetime | None = Field(None, description="Only rows changed at or after this moment.")
    cursor: str | None = Field(None, max_length=200, description="next_cursor of the previous page.")
    limit: int = Field(100, ge=1, le=MAX_LIMIT)


class AnswerOut(Schema):
    topic: str
    dimension: str
    score: int


class ResponseOut(Schema):
    id: int
    updated_at: datetime.datetime
    completed_at: datetime.datetime | None
    channel: str
    client: str
    recruiter_email: str
    survey: str
    survey_version: int
    nps_score: int | None
    call_requested: bool
    answers: list[AnswerOut]


class ResponsePage(Schema):
    items: list[ResponseOut]
    next_cursor: str | None


class FollowUpOut(Schema):
    id: int
    response_id: int
    updated_at: datetime.datetime
    status: str
    owner_email: str
    due_date: datetime.date
    closed_at: datetime.datetime | None
    low_nps: bool
    low_topics: bool
    call_requested: bool


class FollowUpPage(Schema):
    items: list[FollowUpOut]
    next_cursor: str | None


class SummaryOut(Schema):
    id: int
    month: datetime.date
    recruiter_email: str
    client: str
    survey_version_id: int
    channel: str
    responses: int
    promoters: int
    passives: int
    detractors: int
    sent: int
    answered: int


class SummaryPage(Schema):
    items: list[SummaryOut]
    next_cursor: str | None


def _cursor(row) -> str:
    data = json.dumps([row.updated_at.isoformat(), row.pk]).encode()
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _after(cursor: str | None) -> Q:
    """The rows after the cursor in (updated_at, id) order; a cursor this API did not give out is a 400."""
    if not cursor:
        return Q()
    try:
        moment, pk = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        moment = datetime.datetime.fromisoformat(moment)
        if moment.tzinfo is None or not isinstance(pk, int):
            raise ValueError
    except (ValueError, TypeError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise HttpError(400, "The cursor is not one this API gave out; start again without it.") from exc
    return Q(updated_at__gt=moment) | Q(updated_at=moment, pk__gt=pk)


def _page(rows, page: Page):
    if page.updated_since:
        rows = rows.filter(updated_at__gte=page.updated_since)
    found = list(rows.filter(_after(page.cursor)).order_by("updated_at", "pk")[: page.limit + 1])
    more = len(found) > page.limit
    found = found[: page.limit]
    return found, (_cursor(found[-1]) if more else None)


@router.get(
    "/responses", response={200: ResponsePage, 400: ErrorOut, 422: ErrorOut, **CALL_ERRORS}, summary="Responses"
)
def response_list(request, page: Query[Page]):
    """Completed and started responses with their topic scores; no comments."""
    rows = (
        Response.objects.filter(organisation_id=request.auth.organisation_id)
        .select_related("client", "recruiter", "survey_version__survey")
        .prefetch_related("answers__topic")
    )
    found, cursor = _page(rows, page)
    items = [
        {
            "id": r.pk,
            "updated_at": r.updated_at,
            "completed_at": r.completed_at,
            "channel": r.channel,
            "client": r.client.name,
            "recruiter_email": r.recruiter.email,
            "survey": r.survey_version.survey.name,
            "survey_version": r.survey_version.number,
            "nps_score": r.nps_score,
            "call_requested": r.call_requested_at is not None,
            "answers": [
                {"topic": a.topic.name_en, "dimension": a.topic.dimension, "score": a.score} for a in r.answers.all()
            ],
        }
        for r in found
    ]
    return Status(200, {"items": items, "next_cursor": cursor})


@router.get(
    "/follow-ups", response={200: FollowUpPage, 400: ErrorOut, 422: ErrorOut, **CALL_ERRORS}, summary="Follow-ups"
)
def followup_list(request, page: Query[Page]):
    """Follow-up calls with their state and due date; no notes."""
    rows = FollowUp.objects.filter(organisation_id=request.auth.organisation_id).select_related("owner")
    found, cursor = _page(rows, page)
    items = [
        {
            "id": f.pk,
            "response_id": f.response_id,
            "updated_at": f.updated_at,
            "status": f.status,
            "owner_email": f.owner.email,
            "due_date": f.due_date,
            "closed_at": f.closed_at,
            "low_nps": f.low_nps,
            "low_topics": f.low_topics,
            "call_requested": f.call_requested,
        }
        for f in found
    ]
    return Status(200, {"items": items, "next_cursor": cursor})


class SummaryQuery(Schema):
    since: datetime.date | None = Field(None, description="Only months from this one on (any day in it).")
    cursor: str | None = Field(None, max_length=40, description="next_cursor of the previous page.")
    limit: int = Field(500, ge=1, le=MAX_LIMIT)


@router.get(
    "/summaries", response={200: SummaryPage, 400: ErrorOut, 422: ErrorOut, **CALL_ERRORS}, summary="Monthly summaries"
)
def summary_list(request, query: Query[SummaryQuery]):
    """The NPS summary per month, recruiter, client, survey version and channel, as the dashboards read it."""
    rows = NpsSummary.objects.filter(
        organisation_id=request.auth.organisation_id, grain=SummaryGrain.MONTH, client__isnull=False
    ).select_related("recruiter", "client")
    if query.since:
        rows = rows.filter(period__gte=query.since.replace(day=1))
    if query.cursor:
        if not (query.cursor.isascii() and query.cursor.isdigit()):
            raise HttpError(400, "The cursor is not one this API gave out; start again without it.")
        rows = rows.filter(pk__gt=int(query.cursor))
    found = list(rows.order_by("pk")[: query.limit + 1])
    more = len(found) > query.limit
    found = found[: query.limit]
    items = [
        {
            "id": s.pk,
            "month": s.period,
            "recruiter_email": s.recruiter.email,
            "client": s.client.name,
            "survey_version_id": s.survey_version_id,
            "channel": s.channel,
            "responses": s.responses,
            "promoters": s.promoters,
            "passives": s.passives,
            "detractors": s.detractors,
            "sent": s.sent,
            "answered": s.answered,
        }
        for s in found
    ]
    return Status(200, {"items": items, "next_cursor": str(found[-1].pk) if more else None})
