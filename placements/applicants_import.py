"""Vacancies and their introduced candidates from a CSV or XLSX file: one row per candidate, checked whole, then
imported all or nothing through the same write path as the API (placements.applicants)."""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from placements import applicants, importer, services
from placements.models import Integration, Stage, Vacancy

COLUMNS = {
    "vacancy_id": ["vacancy_id", "vacancy", "vacature", "vacature id", "vacaturenummer"],
    "vacancy_title": ["vacancy_title", "title", "functie", "vacaturetitel", "functietitel"],
    "client": ["client", "klant", "opdrachtgever"],
    "recruiter_email": ["recruiter_email", "recruiter", "recruiter e-mail"],
    "opened_on": ["opened_on", "opened", "vacature geopend", "geopend op", "start werving"],
    "candidate_id": ["candidate_id", "kandidaat id", "kandidaatnummer", "kandidaat_id"],
    "name": ["name", "naam", "kandidaat", "candidate"],
    "email": ["email", "e-mail", "e-mailadres", "emailadres"],
    "language": ["language", "taal"],
    "stage": ["stage", "fase", "status"],
    "introduced_on": ["introduced_on", "voorgesteld op", "introduced"],
    "stage_on": ["stage_on", "fase sinds", "datum fase"],
    "told_on": ["told_on", "geïnformeerd op", "geinformeerd op", "uitslag gemeld op", "told"],
    "kept_on_file_until": ["kept_on_file_until", "bewaren tot", "in portefeuille tot"],
}
REQUIRED = ["vacancy_id", "vacancy_title", "client", "recruiter_email", "opened_on", "candidate_id", "stage"]
# Stages as agencies write them; the codes themselves are read too.
STAGES = {
    "voorgesteld": Stage.INTRODUCED,
    "gesprek": Stage.INTERVIEWED,
    "op gesprek": Stage.INTERVIEWED,
    "aanbod": Stage.OFFERED,
    "aanbieding": Stage.OFFERED,
    "aangenomen": Stage.HIRED,
    "geplaatst": Stage.HIRED,
    "afgewezen": Stage.REJECTED,
    "teruggetrokken": Stage.WITHDRAWN,
    "afgehaakt": Stage.WITHDRAWN,
}
DATES = ("opened_on", "introduced_on", "stage_on", "told_on", "kept_on_file_until")


def _table(content: bytes) -> list[dict]:
    index, rows = importer.columns_of(content, COLUMNS, REQUIRED)
    return [{name: (raw[i].strip() if i < len(raw) else "") for name, i in index.items()} for raw in rows]


def parse(content: bytes, *, organisation: Organisation) -> tuple[dict, list[tuple[int, str]]]:
    """The rows grouped by vacancy, and every error as (row number, message); nothing is written."""
    try:
        rows = _table(content)
    except importer.FileRefused as refused:
        return {}, [(0, str(refused))]
    recruiters = {u.email: u for u in User.objects.filter(organisation=organisation, is_active=True)}
    vacancies, errors = defaultdict(lambda: {"rows": [], "numbers": []}), []
    for number, row in enumerate(rows, start=2):
        bad = False
        for name in DATES:
            if row.get(name):
                value = importer.parse_date(row[name])
                if value is None:
                    errors.append(
                        (number, _("%(column)s: %(value)s is not a date.") % {"column": name, "value": row[name][:40]})
                    )
                    bad = True
                row[name] = value
            else:
                row[name] = None
        recruiter = recruiters.get(row["recruiter_email"].lower())
        if recruiter is None:
            errors.append((number, str(services.RECRUITER_UNKNOWN % {"email": row["recruiter_email"][:100]})))
            bad = True
        if bad:
            continue
        group = vacancies[row["vacancy_id"]]
        vacancy = {k: row[k] for k in ("vacancy_title", "client", "opened_on")} | {"recruiter": recruiter}
        if group["rows"] and group["vacancy"] != vacancy:
            errors.append(
                (number, _("The vacancy %(id)s has other details in an earlier row.") % {"id": row["vacancy_id"][:40]})
            )
            continue
        group["vacancy"] = vacancy
        group["numbers"].append(number)
        stage = row["stage"].lower()
        group["rows"].append(
            {
                "external_id": row["candidate_id"],
                "name": row.get("name", ""),
                "email": row.get("email", ""),
                "language": importer.LANGUAGES.get(row.get("language", "").lower(), row.get("language", "")),
                "stage": STAGES.get(stage, stage),
                **{k: row[k] for k in ("introduced_on", "stage_on", "told_on", "kept_on_file_until") if row[k]},
            }
        )
    return dict(vacancies), errors


def import_file(*, organisation: Organisation, content: bytes) -> tuple[int, int, list[tuple[int, str]]]:
    """Import all or nothing: (vacancies, candidates, errors). With any error nothing is stored."""
    vacancies, errors = parse(content, organisation=organisation)
    if errors:
        return 0, 0, errors
    if not vacancies:
        return 0, 0, [(0, _("The file has no candidates."))]
    integration, _created = Integration.objects.get_or_create(
        organisation=organisation, name=importer.IMPORT_INTEGRATION
    )
    count = 0
    try:
        with transaction.atomic():
            for external_id, group in vacancies.items():
                details = group["vacancy"]
                stored = Vacancy.objects.filter(integration=integration, external_id=external_id).first()
                try:
                    vacancy, _new = applicants.vacancy_upsert(
                        integration=integration,
                        external_id=external_id,
                        client=services.client_ensure(organisation=organisation, name=details["client"]),
                        recruiter=details["recruiter"],
                        title=details["vacancy_title"],
                        opened_on=details["opened_on"],
                        status=stored.status if stored else Vacancy.Status.OPEN,
                        closed_on=stored.closed_on if stored else None,
                    )
                except ValidationError as error:
                    for message in error.messages:
                        errors.append((group["numbers"][0], message))
                    continue
                try:
                    count += len(applicants.applicants_upsert(vacancy=vacancy, rows=group["rows"]).rows)
                except applicants.RowErrors as refused:
                    errors.extend(
                        (group["numbers"][row - 1] if row else 0, f"{field}: {message}")
                        for row, _id, field, message in refused.errors
                    )
            if errors:
                raise applicants.RowErrors([])
    except applicants.RowErrors:
        return 0, 0, sorted(errors)
    return len(vacancies), count, []
