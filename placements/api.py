"""The JSON API for ATS systems (django-ninja; schema at /api/v1/openapi.json).

Authentication: `Authorization: Bearer <key>`; a key belongs to one
integration and sees only that integration's placements (others are 404).
Every write is idempotent: the same request twice changes nothing.
"""

import datetime
import json
from typing import Literal

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import translation
from ninja import NinjaAPI, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.views import openapi_view
from ninja.parser import Parser
from ninja.security import HttpBearer
from pydantic import ConfigDict, EmailStr, Field, field_validator

from accounts.decorators import STAFF_ROLES, role_required
from evalportal import proxies, ratelimit
from evalportal.queries import one_or_none
from placements import applicants, hooks, services
from placements.api_keys import api_key_authenticate
from placements.models import Integration, Placement, Stage, Vacancy
from placements.probation import LeaveReason


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after


def _unique_keys(pairs: list[tuple[str, object]]) -> dict:
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise HttpError(400, f"The key {key!r} appears more than once in an object of the JSON body.")
        seen[key] = value
    return seen


def _read_body(request: HttpRequest) -> None:
    """The body of a write, read strictly before anything else: at most DATA_UPLOAD_MAX_MEMORY_SIZE (413),
    JSON only (415), valid JSON (400) and no key twice in an object (400: json.loads would keep the last)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    too_big = HttpError(413, f"The body is larger than {limit} bytes; send fewer records per call.")
    length = request.META.get("CONTENT_LENGTH") or "0"
    if length.isdigit() and int(length) > limit:
        raise too_big
    try:
        body = request.body
    except RequestDataTooBig as exc:
        raise too_big from exc
    if not body:
        return
    if request.content_type != "application/json":
        raise HttpError(415, "Send the body as JSON with Content-Type: application/json.")
    try:
        request.json_body = json.loads(body, object_pairs_hook=_unique_keys)
    except (ValueError, RecursionError) as exc:
        raise HttpError(400, f"The body is not valid JSON: {str(exc)[:200]}") from exc


class StrictJsonParser(Parser):
    """The body as read by _read_body, parsed once."""

    def parse_body(self, request: HttpRequest):
        return request.json_body


class ApiKeyAuth(HttpBearer):
    """A key of an integration with this access: an ATS's key writes placements, a BI tool's key reads."""

    REFUSED = {
        Integration.Access.WRITE: "This key is a read-only key of a BI tool; placements need a key of an ATS.",
        Integration.Access.READ: "This key writes placements; reading responses needs a read-only key"
        " (manage.py create_api_key NAME --read).",
    }

    def __init__(self, access: str = Integration.Access.WRITE):
        super().__init__()
        self.access = access

    def __call__(self, request: HttpRequest):
        wait = ratelimit.hit(
            "api-address", proxies.client_address(request), limit=getattr(settings, "RATELIMIT_API_PER_MINUTE", 6000)
        )
        if wait:
            raise RateLimited(wait)
        # Checked before the key and before ninja parses the body, so each fault gets its own status.
        if request.method in ("POST", "PUT", "PATCH"):
            _read_body(request)
        return super().__call__(request)

    def authenticate(self, request, token):
        integration = api_key_authenticate(token)
        if integration is not None and integration.access != self.access:
            raise HttpError(403, self.REFUSED[self.access])
        return integration


api = NinjaAPI(
    title="evalportal API",
    version="1",
    description="Placements from ATS systems: create or update by external id, close, and read the survey status "
    "(an ATS's key). Responses, follow-ups and monthly summaries for BI tools (a read-only key).",
    auth=ApiKeyAuth(),
    parser=StrictJsonParser(),
    urls_namespace="api",
    docs_url=None,  # served by docs_view below: for staff only, while the schema stays open to ATS developers
)


@role_required(*STAFF_ROLES)
def docs_view(request):
    """Swagger UI from ninja's own static files (nothing from a CDN), for logged-in staff."""
    return openapi_view(request, api=api)


class Strict(Schema):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


class HiringManagerIn(Strict):
    name: str = Field(min_length=1, max_length=200)
    email: EmailStr = Field(max_length=254)
    language: Literal["nl", "en"] = "nl"

    _clean = field_validator("name")(_no_nul)


class PlacementIn(Strict):
    external_id: str = Field(min_length=1, max_length=100, pattern=r"^[\x21-\x7e]+$")
    client: str = Field(min_length=1, max_length=200)
    hiring_manager: HiringManagerIn
    recruiter_email: EmailStr
    candidate_name: str = Field(min_length=1, max_length=200)
    job_title: str = Field(min_length=1, max_length=200)
    job_family: str = Field(
        "", max_length=100, description="A group of similar roles; exit patterns are counted per job family."
    )
    start_date: datetime.date
    search_started_on: datetime.date | None = Field(
        None, description="When the search for this role started; days to fill count from here to the start date."
    )
    candidates_introduced: int | None = Field(None, ge=0, le=1000, description="Candidates introduced to the client.")
    client_feedback_days: int | None = Field(
        None, ge=0, le=365, description="The median days the client took to give feedback on a candidate."
    )
    candidate_email: EmailStr | Literal[""] = Field(
        "", max_length=254, description="Where the candidate's check-ins go until the probation ends."
    )
    candidate_phone: str = Field("", max_length=40)
    candidate_language: str = Field("nl", description="nl or en.")
    contract_type: str = Field(
        "",
        description="permanent, fixed_term (with contract_months) or fixed_term_open (no calendar end date);"
        " empty when not known.",
    )
    contract_months: int | None = Field(None, ge=1, le=120, description="The length of a fixed_term contract.")
    probation_end_date: datetime.date | None = Field(
        None,
        description="The agreed end of probation. Leave it out for the legal maximum of the contract"
        " (art. 7:652 BW), which moves with the start date.",
    )
    vacancy: str = Field(
        "",
        max_length=100,
        description="The external id of the vacancy this placement fills (sent to /vacancies first); its opening"
        " date then counts as the start of the search.",
    )

    _clean = field_validator("client", "candidate_name", "job_title", "candidate_phone")(_no_nul)


REASONS = ", ".join(LeaveReason.values)


class OutcomeIn(Strict):
    outcome: str = Field(
        description="stayed (still employed after probation) or left (with the last working day: on or before the"
        " end of probation it counts as leaving during probation)."
    )
    left_on: datetime.date | None = Field(None, description="The last working day, when the candidate left.")
    ended_by: str = Field("", description="candidate, employer or both, when the candidate left.")
    reason: str = Field("", description=f"Why the candidate left: {REASONS}. Left out: unknown.")


class DepartureIn(Strict):
    left_on: datetime.date = Field(description="The last working day.")
    ended_by: str = Field(description="candidate, employer or both.")
    reason: str = Field(description=f"Why the candidate left: {REASONS}.")


class SurveyStatusOut(Schema):
    invitation_status: str | None = None
    skipped_reason: str | None = None
    sent_at: datetime.datetime | None = None
    answered: bool = False
    answered_at: datetime.datetime | None = None
    nps_score: int | None = None


class PlacementOut(Schema):
    external_id: str
    status: str
    client: str
    hiring_manager_email: str
    recruiter_email: str
    candidate_name: str
    job_title: str
    start_date: datetime.date
    candidate_email: str
    candidate_phone: str
    candidate_language: str
    contract_type: str
    contract_months: int | None
    probation_end_date: datetime.date | None
    probation_end_basis: Literal["agreed", "legal", "none"]
    probation_outcome: str
    left_on: datetime.date | None
    left_in_probation: bool | None
    ended_by: str
    leave_reason: str
    job_family: str
    search_started_on: datetime.date | None
    candidates_introduced: int | None
    client_feedback_days: int | None
    vacancy: str
    closed_at: datetime.datetime | None
    survey: SurveyStatusOut


class ErrorOut(Schema):
    detail: str


# What every call can answer besides its own outcomes: no or a revoked key, a key of the other kind, too many calls.
CALL_ERRORS = {401: ErrorOut, 403: ErrorOut, 429: ErrorOut}
# And what a write can answer before its fields are read: the body too large, not JSON, or malformed.
WRITE_ERRORS = CALL_ERRORS | {400: ErrorOut, 413: ErrorOut, 415: ErrorOut}


def _out(placement: Placement, *, new: bool = False) -> dict:
    return {
        "external_id": placement.external_id,
        "status": placement.status,
        "client": placement.client.name,
        "hiring_manager_email": placement.contact.email,
        "recruiter_email": placement.recruiter.email,
        "candidate_name": placement.candidate_name,
        "job_title": placement.job_title,
        "start_date": placement.start_date,
        "candidate_email": placement.candidate_email,
        "candidate_phone": placement.candidate_phone,
        "candidate_language": placement.candidate_language,
        "contract_type": placement.contract_type,
        "contract_months": placement.contract_months,
        "probation_end_date": placement.probation_end_date,
        "probation_end_basis": (
            "agreed" if placement.probation_end_agreed else "legal" if placement.probation_end_date else "none"
        ),
        "probation_outcome": placement.probation_outcome,
        "left_on": placement.left_on,
        "left_in_probation": placement.left_in_probation,
        "ended_by": placement.ended_by,
        "leave_reason": placement.leave_reason,
        "job_family": placement.job_family,
        "search_started_on": placement.search_started_on,
        "candidates_introduced": placement.candidates_introduced,
        "client_feedback_days": placement.client_feedback_days,
        "vacancy": placement.vacancy.external_id if placement.vacancy_id else "",
        "closed_at": placement.closed_at,
        "survey": {} if new else hooks.survey_status(placement),  # a new placement has no survey yet
    }


def _get(integration: Integration, external_id: str) -> Placement:
    placement = one_or_none(
        Placement.objects.select_related("client", "contact", "recruiter", "vacancy").filter(
            integration=integration, external_id=external_id
        )
    )
    if placement is None:
        raise HttpError(404, f"No placement with external id {external_id!r} for this integration.")
    return placement


@api.exception_handler(RateLimited)
def rate_limited(request, exc):
    return ratelimit.too_many(request, exc.retry_after, json=True)


@api.exception_handler(NinjaValidationError)
def validation_error(request, exc):
    problems = []
    for error in exc.errors:
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "payload"))
        problems.append(f"{where}: {error.get('msg')}" if where else str(error.get("msg")))
    return api.create_response(
        request, {"detail": "Invalid request: " + "; ".join(problems), "errors": exc.errors}, status=422
    )


# The placement rules (placements.services.placement_check) name model fields; the API names its own.
API_FIELDS = {
    "recruiter": "recruiter_email",
    "contact": "hiring_manager.email",
    "client": "client",
    "probation_outcome": "outcome",
    "leave_reason": "reason",
}


@api.exception_handler(DjangoValidationError)
def domain_error(request, exc):
    """A rule of the one placement write path: 422 with the same message the form and the import give."""
    with translation.override("en"):
        messages = (
            [f"{API_FIELDS.get(field, field)}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items()]
            if hasattr(exc, "error_dict")
            else [str(m) for m in exc.messages]
        )
    return api.create_response(request, {"detail": "; ".join(messages)}, status=422)


@api.post(
    "/placements",
    response={200: PlacementOut, 201: PlacementOut, 422: ErrorOut, **WRITE_ERRORS},
    summary="Create or update",
)
def placement_upsert(request, payload: PlacementIn):
    """Create the placement with this external id, or bring it up to date. Sending it twice changes nothing."""
    integration = request.auth
    organisation = integration.organisation
    with transaction.atomic():
        recruiter = services.recruiter_for_email(organisation=organisation, email=payload.recruiter_email)
        client = services.client_ensure(organisation=organisation, name=payload.client)
        contact = services.contact_ensure(
            organisation=organisation,
            client=client,
            name=payload.hiring_manager.name,
            email=payload.hiring_manager.email,
            language=payload.hiring_manager.language,
        )
        values = {
            "client": client,
            "contact": contact,
            "recruiter": recruiter,
            "candidate_name": payload.candidate_name,
            "job_title": payload.job_title,
            "job_family": payload.job_family,
            "start_date": payload.start_date,
            "search_started_on": payload.search_started_on,
            "candidates_introduced": payload.candidates_introduced,
            "client_feedback_days": payload.client_feedback_days,
            "candidate_email": payload.candidate_email.lower(),
            "candidate_phone": payload.candidate_phone,
            "candidate_language": payload.candidate_language,
            "contract_type": payload.contract_type,
            "contract_months": payload.contract_months,
            "probation_end_date": payload.probation_end_date,
        }
        if payload.vacancy:
            values["vacancy"] = _vacancy(integration, payload.vacancy, status=422)
        placement = one_or_none(
            Placement.objects.select_for_update().filter(integration=integration, external_id=payload.external_id)
        )
        if placement is None:
            placement = services.placement_create(
                organisation=organisation, integration=integration, external_id=payload.external_id, **values
            )
            status = 201
        else:
            related = {"client", "contact", "recruiter", "vacancy"}
            stored = {k: getattr(placement, k) for k in values if k not in related}
            # A legal end of probation is derived, not sent: None asks for it again.
            stored["probation_end_date"] = placement.probation_end_date if placement.probation_end_agreed else None
            changed = {
                k: v
                for k, v in values.items()
                if (getattr(placement, f"{k}_id") != (v.pk if v else None) if k in related else stored[k] != v)
            }
            if changed:
                placement = services.placement_update(placement=placement, **changed)
            placement.client, placement.contact, placement.recruiter = client, contact, recruiter
            status = 200
    if "vacancy" in values:
        placement.vacancy = values["vacancy"]
    return Status(status, _out(placement, new=status == 201))  # client, contact and recruiter are already attached


@api.post(
    "/placements/{external_id}/close",
    response={200: PlacementOut, 404: ErrorOut, 409: ErrorOut, **WRITE_ERRORS},
    summary="Close",
)
def placement_close(request, external_id: str):
    """Close the placement: its hiring manager's survey is scheduled. Closing it again changes nothing."""
    try:
        placement = services.placement_close_external(integration=request.auth, external_id=external_id)
    except DjangoValidationError as error:
        raise HttpError(409, " ".join(str(m) for m in error.messages)) from error
    if placement is None:
        raise HttpError(404, f"No placement with external id {external_id!r} for this integration.")
    return Status(200, _out(placement))


@api.get("/placements/{external_id}", response={200: PlacementOut, 404: ErrorOut, **CALL_ERRORS}, summary="Read")
def placement_read(request, external_id: str):
    """The placement with the state of its survey invitation and whether it was answered."""
    return Status(200, _out(_get(request.auth, external_id)))


@api.post(
    "/placements/{external_id}/probation-outcome",
    response={200: PlacementOut, 404: ErrorOut, 422: ErrorOut, **WRITE_ERRORS},
    summary="Record the outcome of probation",
)
def placement_outcome(request, external_id: str, payload: OutcomeIn):
    """Still employed after probation, or left (with the last working day, who ended it and why). Recording
    "left" stops the candidate's check-ins. Sending it again records it again."""
    placement = _get(request.auth, external_id)
    left = payload.outcome == "left"
    recorded = services.placement_record_outcome(
        placement=placement,
        outcome=payload.outcome,
        left_on=payload.left_on,
        ended_by=payload.ended_by,
        reason=payload.reason or ("unknown" if left else ""),
    )
    recorded.client, recorded.contact, recorded.recruiter = placement.client, placement.contact, placement.recruiter
    return Status(200, _out(recorded))


@api.post(
    "/placements/{external_id}/departure",
    response={200: PlacementOut, 404: ErrorOut, 422: ErrorOut, **WRITE_ERRORS},
    summary="Record a departure",
)
def placement_departure(request, external_id: str, payload: DepartureIn):
    """The candidate left: the last working day, who ended it and why. The same fact as the probation outcome
    "left": on or before the end of probation it counts as leaving during probation, later as a probation
    survived. Stops the candidate's check-ins. Sending it again records it again."""
    placement = _get(request.auth, external_id)
    recorded = services.placement_record_outcome(
        placement=placement,
        outcome="left",
        left_on=payload.left_on,
        ended_by=payload.ended_by,
        reason=payload.reason,
    )
    recorded.client, recorded.contact, recorded.recruiter = placement.client, placement.contact, placement.recruiter
    return Status(200, _out(recorded))


# -- vacancies and the candidates introduced for them ------------------------------------------------------


def _vacancy(integration: Integration, external_id: str, *, status: int = 404) -> Vacancy:
    vacancy = one_or_none(
        Vacancy.objects.select_related("client", "recruiter").filter(integration=integration, external_id=external_id)
    )
    if vacancy is None:
        raise HttpError(status, f"No vacancy with external id {external_id!r} for this integration.")
    return vacancy


class VacancyIn(Strict):
    external_id: str = Field(min_length=1, max_length=100, pattern=r"^[\x21-\x7e]+$")
    client: str = Field(min_length=1, max_length=200)
    recruiter_email: EmailStr
    title: str = Field(min_length=1, max_length=200)
    opened_on: datetime.date = Field(description="When the search started.")
    status: str = Field("open", description="open, filled or cancelled.")
    closed_on: datetime.date | None = Field(None, description="When it was filled or cancelled.")

    _clean = field_validator("client", "title")(_no_nul)


class VacancyOut(Schema):
    external_id: str
    client: str
    recruiter_email: str
    title: str
    opened_on: datetime.date
    status: str
    closed_on: datetime.date | None
    introduced: int = Field(description="Candidates introduced.")
    answered: int = Field(description="Candidates told their final answer.")
    closure_rate: int | None = Field(description="answered / introduced, in percent.")


def _vacancy_out(vacancy: Vacancy) -> dict:
    return {
        "external_id": vacancy.external_id,
        "client": vacancy.client.name,
        "recruiter_email": vacancy.recruiter.email,
        "title": vacancy.title,
        "opened_on": vacancy.opened_on,
        "status": vacancy.status,
        "closed_on": vacancy.closed_on,
        "introduced": vacancy.introduced,
        "answered": vacancy.answered,
        "closure_rate": vacancy.closure_rate,
    }


@api.post(
    "/vacancies",
    response={200: VacancyOut, 201: VacancyOut, 422: ErrorOut, **WRITE_ERRORS},
    summary="Create or update a vacancy",
)
def vacancy_upsert(request, payload: VacancyIn):
    """Create the vacancy with this external id, or bring it up to date. Its candidates follow through
    /vacancies/{external_id}/candidates."""
    integration = request.auth
    organisation = integration.organisation
    with transaction.atomic():
        recruiter = services.recruiter_for_email(organisation=organisation, email=payload.recruiter_email)
        client = services.client_ensure(organisation=organisation, name=payload.client)
        vacancy, created = applicants.vacancy_upsert(
            integration=integration,
            external_id=payload.external_id,
            client=client,
            recruiter=recruiter,
            title=payload.title,
            opened_on=payload.opened_on,
            status=payload.status,
            closed_on=payload.closed_on,
        )
    return Status(201 if created else 200, _vacancy_out(vacancy))


@api.get("/vacancies/{external_id}", response={200: VacancyOut, 404: ErrorOut, **CALL_ERRORS}, summary="Read a vacancy")
def vacancy_read(request, external_id: str):
    """The vacancy with its closure rate: how many introduced candidates were told their final answer."""
    return Status(200, _vacancy_out(_vacancy(request.auth, external_id)))


class CandidateIn(Strict):
    external_id: str = Field(min_length=1, max_length=100, description="The candidate's id in the ATS.")
    name: str = Field("", max_length=200)
    email: str = Field("", max_length=254, description="Where the experience survey goes after the final answer.")
    language: str = Field("nl", description="nl or en.")
    stage: str = Field(description=", ".join(Stage.values) + ".")
    introduced_on: datetime.date | None = Field(None, description="Left out for a new candidate: today.")
    stage_on: datetime.date | None = Field(None, description="Since when the candidate is in this stage.")
    interviewed: bool | None = Field(None, description="Whether the procedure reached an interview.")
    told_on: datetime.date | None = Field(
        None,
        description="When the candidate was told the final answer (hired, rejected, withdrawn). A rejection without"
        " it is still waiting for an answer.",
    )
    kept_on_file_until: datetime.date | None = Field(
        None, description="The candidate agreed to be kept on file until then (at most a year from today)."
    )

    _clean = field_validator("external_id", "name", "email")(_no_nul)


class CandidatesIn(Strict):
    candidates: list[CandidateIn] = Field(max_length=applicants.MAX_PER_CALL)


class CandidateResultOut(Schema):
    external_id: str
    result: Literal["created", "updated", "unchanged"]


class CandidatesOut(Schema):
    created: int
    updated: int
    unchanged: int
    results: list[CandidateResultOut]
    vacancy: VacancyOut


class RowErrorOut(Schema):
    row: int = Field(description="The candidate's position in the call, from 1.")
    external_id: str
    field: str
    message: str


class RowErrorsOut(Schema):
    detail: str
    errors: list[RowErrorOut]


@api.post(
    "/vacancies/{external_id}/candidates",
    response={200: CandidatesOut, 404: ErrorOut, 422: RowErrorsOut, **WRITE_ERRORS},
    summary="Create or update the candidates of a vacancy",
)
def vacancy_candidates(request, external_id: str, payload: CandidatesIn):
    """Up to 1,000 introduced candidates of one vacancy, each with their stage and, once they were told, the date
    of the final answer. All or nothing: a call with any faulty candidate stores none and says what is wrong
    with each. Only name, email, language, stage and dates are kept: no CV, no notes."""
    vacancy = _vacancy(request.auth, external_id)
    rows = [item.model_dump(exclude_unset=True) for item in payload.candidates]
    try:
        with translation.override("en"):  # the messages, like every message of the API
            result = applicants.applicants_upsert(vacancy=vacancy, rows=rows)
    except applicants.RowErrors as refused:
        errors = [{"row": r, "external_id": i, "field": f, "message": m} for r, i, f, m in refused.errors]
        detail = f"Nothing was stored: {len(errors)} error(s) in the candidates."
        return Status(422, {"detail": detail, "errors": errors})
    vacancy.refresh_from_db()
    return Status(
        200,
        {
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "results": [{"external_id": i, "result": r} for i, r in result.rows],
            "vacancy": _vacancy_out(vacancy),
        },
    )
