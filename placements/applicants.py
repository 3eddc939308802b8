"""Vacancies and the candidates introduced for them: the one write path for the API, the import and the
recruiter's "told" button, and the counts the closure views add up.

A call (an API request, an import, a click) is checked whole first: every row gets its own errors, and a call
with any error stores nothing. Only what the closure rate and the experience survey need is stored.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from evalportal.working_days import subtract_working_days
from placements.models import FINAL_STAGES, Applicant, Client, Integration, Language, Stage, Vacancy
from placements.signals import applicants_answered

MAX_PER_CALL = 1000
KEEP_ON_FILE_DAYS = 365
# Dates a day ahead pass: an ATS in another time zone may already be tomorrow.
FUTURE_SLACK = datetime.timedelta(days=1)

STAGE_UNKNOWN = _("%(value)s is not a stage: use introduced, interviewed, offered, hired, rejected or withdrawn.")
VACANCY_STATUS_UNKNOWN = _("%(value)s is not a vacancy status: use open, filled or cancelled.")
TOLD_BEFORE_INTRODUCED = _("The date the candidate was told (%(told)s) is before the introduction (%(introduced)s).")
STAGE_BEFORE_INTRODUCED = _("The date of the stage (%(stage)s) is before the introduction (%(introduced)s).")
TOLD_NOT_FINAL = _("Only a final stage (hired, rejected or withdrawn) is told to the candidate.")
IN_FUTURE = _("%(value)s is in the future.")
KEEP_TOO_LONG = _("A candidate is kept on file for at most a year: until %(max)s at the latest.")
NOT_AN_EMAIL = _("%(value)s is not a valid email address.")
LANGUAGE_UNKNOWN = _("The language must be nl or en.")
DUPLICATE = _("Candidate %(id)s appears more than once (also row %(row)d).")
ID_NEEDED = _("Every candidate needs an id from the ATS.")
NAME_TOO_LONG = _("At most %(max)d characters.")
TOO_MANY = _("At most %(max)d candidates per call; send the rest in another call.")
CLOSED_NEEDS_DATE = _("A filled or cancelled vacancy needs the date it closed.")
CLOSED_BEFORE_OPENED = _("The vacancy cannot close before it opened.")
VACANCY_OTHER_ORGANISATION = _("This vacancy is not one of your organisation's.")


class RowErrors(Exception):
    """Errors per row of one call: [(row number, external id, field, message)]. Nothing was stored."""

    def __init__(self, errors: list[tuple[int, str, str, str]]):
        super().__init__(errors)
        self.errors = errors


@dataclass
class Result:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: list[tuple[str, str]] = field(default_factory=list)  # (external id, created/updated/unchanged)


# -- vacancies --------------------------------------------------------------------------------------------


def vacancy_check(*, organisation: Organisation, client: Client, recruiter: User, fields: dict) -> None:
    errors = {}
    status = fields.get("status") or Vacancy.Status.OPEN
    if status not in Vacancy.Status.values:
        errors["status"] = ValidationError(VACANCY_STATUS_UNKNOWN, params={"value": str(status)[:40]})
    elif status != Vacancy.Status.OPEN and not fields.get("closed_on"):
        errors["closed_on"] = CLOSED_NEEDS_DATE
    if fields.get("closed_on") and fields.get("opened_on") and fields["closed_on"] < fields["opened_on"]:
        errors["closed_on"] = CLOSED_BEFORE_OPENED
    if client.organisation_id != organisation.pk or recruiter.organisation_id != organisation.pk:
        errors["client"] = VACANCY_OTHER_ORGANISATION
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def vacancy_upsert(
    *, integration: Integration, external_id: str, client: Client, recruiter: User, **fields
) -> tuple[Vacancy, bool]:
    """The vacancy with this external id of the integration, created or brought up to date: title, opened_on,
    status, closed_on. Returns (vacancy, created)."""
    organisation = integration.organisation
    fields = {k: v for k, v in fields.items() if k in ("title", "opened_on", "status", "closed_on")}
    fields.setdefault("status", Vacancy.Status.OPEN)
    if fields["status"] == Vacancy.Status.OPEN:
        fields["closed_on"] = None
    vacancy_check(organisation=organisation, client=client, recruiter=recruiter, fields=fields)
    vacancy = Vacancy.objects.select_for_update().filter(integration=integration, external_id=external_id).first()
    created = vacancy is None
    if created:
        vacancy = Vacancy(organisation=organisation, integration=integration, external_id=external_id)
    vacancy.client, vacancy.recruiter = client, recruiter
    for name, value in fields.items():
        setattr(vacancy, name, value)
    vacancy.full_clean(exclude=["organisation", "client", "recruiter", "integration"], validate_constraints=False)
    vacancy.save()
    return vacancy, created


def vacancy_recount(vacancy: Vacancy) -> None:
    """The vacancy's counts from its candidates, and filled once someone is hired (if the ATS did not say)."""
    counts = Applicant.objects.filter(vacancy=vacancy).aggregate(
        introduced=Count("pk"),
        answered=Count("pk", filter=Q(told_on__isnull=False)),
        hired_on=Min("stage_on", filter=Q(stage=Stage.HIRED)),
    )
    update = {"introduced": counts["introduced"], "answered": counts["answered"]}
    if counts["hired_on"] and vacancy.status == Vacancy.Status.OPEN:
        update |= {"status": Vacancy.Status.FILLED, "closed_on": max(counts["hired_on"], vacancy.opened_on)}
    Vacancy.objects.filter(pk=vacancy.pk).update(**update, updated_at=timezone.now())
    for name, value in update.items():
        setattr(vacancy, name, value)


# -- candidates -------------------------------------------------------------------------------------------


def _row_errors(row: dict, today: datetime.date, stored: Applicant | None) -> dict[str, str]:
    """Every rule a candidate row meets; {field: message}."""
    errors = {}
    stage = row.get("stage") or ""
    if stage not in Stage.values:
        errors["stage"] = str(STAGE_UNKNOWN % {"value": repr(str(stage)[:40])})
    for name in ("name",):
        if len(row.get(name) or "") > 200:
            errors[name] = str(NAME_TOO_LONG % {"max": 200})
    if not row.get("external_id"):
        errors["external_id"] = str(ID_NEEDED)
    elif len(row["external_id"]) > 100:
        errors["external_id"] = str(NAME_TOO_LONG % {"max": 100})
    email = row.get("email") or ""
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = str(NOT_AN_EMAIL % {"value": email[:100]})
    if (row.get("language") or "nl") not in Language.values:
        errors["language"] = str(LANGUAGE_UNKNOWN)
    introduced = row.get("introduced_on") or (stored.introduced_on if stored else today)
    for name in ("introduced_on", "stage_on", "told_on"):
        value = row.get(name)
        if value and value > today + FUTURE_SLACK:
            errors[name] = str(IN_FUTURE % {"value": value.isoformat()})
    told = row.get("told_on")
    if told and told < introduced:
        errors["told_on"] = str(
            TOLD_BEFORE_INTRODUCED % {"told": told.isoformat(), "introduced": introduced.isoformat()}
        )
    if row.get("stage_on") and row["stage_on"] < introduced:
        errors["stage_on"] = str(
            STAGE_BEFORE_INTRODUCED % {"stage": row["stage_on"].isoformat(), "introduced": introduced.isoformat()}
        )
    if told and stage in Stage.values and stage not in FINAL_STAGES:
        errors["told_on"] = str(TOLD_NOT_FINAL)
    keep = row.get("kept_on_file_until")
    latest = today + datetime.timedelta(days=KEEP_ON_FILE_DAYS)
    if keep and keep > latest:
        errors["kept_on_file_until"] = str(KEEP_TOO_LONG % {"max": latest.isoformat()})
    return errors


def _values(row: dict, stored: Applicant | None, today: datetime.date) -> dict:
    """What the row means for the stored candidate: the dates the ATS left out follow from the stage."""
    stage = row["stage"]
    introduced_on = row.get("introduced_on") or (stored.introduced_on if stored else today)
    if row.get("stage_on"):
        stage_on = row["stage_on"]
    elif stored and stored.stage == stage:
        stage_on = stored.stage_on
    elif stage == Stage.INTRODUCED:
        stage_on = introduced_on
    else:
        stage_on = max(row.get("told_on") or today, introduced_on)
    told_on = row.get("told_on")
    if told_on is None and stage in FINAL_STAGES:
        # Hired and withdrawn candidates know where they stand; a rejection counts once the ATS or the
        # recruiter says it was told. A told date once given stays.
        told_on = stored.told_on if stored and stored.stage in FINAL_STAGES else None
        if told_on is None and stage in (Stage.HIRED, Stage.WITHDRAWN):
            told_on = stage_on
    if stage not in FINAL_STAGES:
        told_on = None
    values = {
        "stage": stage,
        "introduced_on": introduced_on,
        "stage_on": stage_on,
        "told_on": told_on,
        "interviewed": bool(
            (stored and stored.interviewed)
            or row.get("interviewed")
            or stage in (Stage.INTERVIEWED, Stage.OFFERED, Stage.HIRED)
        ),
        "kept_on_file_until": row.get("kept_on_file_until", stored.kept_on_file_until if stored else None),
    }
    if stored and stored.stage != stage:  # a new stage is a new wait: alert again if it lasts too long
        values["loop_alerted_at"] = None
    if not (stored and stored.anonymised_at):  # anonymised contact data never comes back
        values |= {
            "name": row.get("name") or "",
            "email": (row.get("email") or "").strip().lower(),
            "language": row.get("language") or "nl",
        }
    return values


def applicants_check(*, vacancy: Vacancy, rows: list[dict], today: datetime.date | None = None) -> dict:
    """Check a call's rows against the rules and each other; raises RowErrors. Returns the stored candidates of
    the rows by external id (one query)."""
    today = today or timezone.localdate()
    if len(rows) > MAX_PER_CALL:
        raise RowErrors([(0, "", "candidates", str(TOO_MANY % {"max": MAX_PER_CALL}))])
    ids = [str(row.get("external_id") or "") for row in rows]
    stored = {a.external_id: a for a in Applicant.objects.filter(vacancy=vacancy, external_id__in=set(ids))}
    errors, seen = [], {}
    for number, row in enumerate(rows, start=1):
        external_id = ids[number - 1]
        for name, message in _row_errors(row, today, stored.get(external_id)).items():
            errors.append((number, external_id, name, message))
        if external_id and external_id in seen:
            errors.append(
                (number, external_id, "external_id", str(DUPLICATE % {"id": external_id, "row": seen[external_id]}))
            )
        seen.setdefault(external_id, number)
    if errors:
        raise RowErrors(errors)
    return stored


@transaction.atomic
def applicants_upsert(*, vacancy: Vacancy, rows: list[dict], today: datetime.date | None = None) -> Result:
    """Create or bring up to date the candidates of one vacancy, all or nothing. Candidates told a final answer
    in this call are announced (placements.signals.applicants_answered) for the experience survey."""
    today = today or timezone.localdate()
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    stored = applicants_check(vacancy=vacancy, rows=rows, today=today)
    result, new, told = Result(), [], []
    changed = defaultdict(list)  # {the changed fields and their values: [ids]}: one UPDATE per kind of change
    for row in rows:
        before = stored.get(row["external_id"])
        values = _values(row, before, today)
        if before is None:
            new.append(
                Applicant(
                    organisation_id=vacancy.organisation_id, vacancy=vacancy, external_id=row["external_id"], **values
                )
            )
            result.created += 1
            result.rows.append((row["external_id"], "created"))
            continue
        if all(getattr(before, k) == v for k, v in values.items()):
            result.unchanged += 1
            result.rows.append((row["external_id"], "unchanged"))
            continue
        if before.told_on is None and values["told_on"] is not None:
            told.append(before.pk)
        changes = tuple(sorted((k, v) for k, v in values.items() if getattr(before, k) != v))
        changed[changes].append(before.pk)
        result.updated += 1
        result.rows.append((row["external_id"], "updated"))
    if new:
        for applicant in Applicant.objects.bulk_create(new, batch_size=500):
            if applicant.told_on is not None:
                told.append(applicant.pk)
    now = timezone.now()
    for changes, ids in changed.items():
        Applicant.objects.filter(pk__in=ids).update(**dict(changes), updated_at=now)
    if new or changed:
        vacancy_recount(vacancy)
    if told:
        transaction.on_commit(lambda: applicants_answered.send(sender=Applicant, applicant_ids=told))
    return result


@transaction.atomic
def applicant_answer(*, applicant: Applicant, stage: str, told_on: datetime.date, user: User | None = None):
    """The recruiter (or the ATS) records the final answer the candidate was given."""
    row = {
        "external_id": applicant.external_id,
        "stage": stage,
        "told_on": told_on,
        "name": applicant.name,
        "email": applicant.email,
        "language": applicant.language,
        "kept_on_file_until": applicant.kept_on_file_until,
    }
    if stage not in FINAL_STAGES and stage in Stage.values:
        raise RowErrors([(1, applicant.external_id, "stage", str(TOLD_NOT_FINAL))])
    applicants_upsert(vacancy=applicant.vacancy, rows=[row])
    applicant.refresh_from_db()
    return applicant


# -- open loops -------------------------------------------------------------------------------------------


def waiting_since(organisation: Organisation, today: datetime.date | None = None) -> datetime.date:
    """Candidates whose last stage is before this date have waited longer than the organisation allows."""
    today = today or timezone.localdate()
    return subtract_working_days(today, organisation.open_loop_working_days)


def open_loops(organisation: Organisation, today: datetime.date | None = None) -> Q:
    """The introduced candidates still without a final answer who waited too long, or whose vacancy closed."""
    cutoff = waiting_since(organisation, today)
    return Q(organisation_id=organisation.pk, told_on__isnull=True, anonymised_at__isnull=True) & (
        Q(stage_on__lt=cutoff) | ~Q(vacancy__status=Vacancy.Status.OPEN)
    )
