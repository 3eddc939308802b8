"""Placements from a CSV or XLSX file: parse and check every row first, then import all or nothing.

Reads UTF-8 (with or without BOM) and Windows-1252, detects ';' or ','
delimiters, and accepts Dutch or English column names. Cell text is stored
as typed: a formula like =HYPERLINK(...) stays text here and is neutralised
on export.
"""

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from placements import services
from placements.models import Client, Contact, Integration, Placement

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20000
IMPORT_INTEGRATION = "CSV/Excel import"

COLUMNS = {
    "client": ["client", "klant", "opdrachtgever", "company", "bedrijf"],
    "hiring_manager_name": ["hiring_manager_name", "hiring_manager", "hiring manager", "contactpersoon", "contact"],
    "hiring_manager_email": ["hiring_manager_email", "email", "e-mail", "e-mailadres", "emailadres"],
    "language": ["language", "taal"],
    "recruiter_email": ["recruiter_email", "recruiter", "recruiter e-mail"],
    "candidate_name": ["candidate_name", "candidate", "kandidaat"],
    "job_title": ["job_title", "job", "functie", "functietitel"],
    "start_date": ["start_date", "start", "startdatum"],
    "probation_end_date": ["probation_end_date", "einde_proeftijd", "einde proeftijd", "proeftijd"],
    "candidate_email": ["candidate_email", "candidate email", "e-mail kandidaat", "email kandidaat", "kandidaat_email"],
    "candidate_phone": ["candidate_phone", "candidate phone", "telefoon kandidaat", "kandidaat_telefoon"],
    "candidate_language": ["candidate_language", "taal kandidaat", "kandidaat_taal"],
    "contract_type": ["contract_type", "contract", "contractvorm", "soort contract"],
    "contract_months": ["contract_months", "contractduur", "contractduur (maanden)", "looptijd"],
    "search_started_on": ["search_started_on", "search started", "start werving", "vacature geopend", "zoekopdracht"],
    "candidates_introduced": ["candidates_introduced", "candidates introduced", "kandidaten voorgesteld"],
    "client_feedback_days": ["client_feedback_days", "feedback days", "feedbacktermijn klant", "dagen tot feedback"],
    "job_family": ["job_family", "job family", "functiegroep", "vakgebied", "functiefamilie"],
    "left_on": ["left_on", "last working day", "laatste werkdag", "uit dienst"],
    "ended_by": ["ended_by", "ended by", "beëindigd door", "beeindigd door", "opgezegd door"],
    "leave_reason": ["leave_reason", "reason for leaving", "reden vertrek", "reden van vertrek"],
    "external_id": ["external_id", "extern_id", "id", "referentie", "reference"],
    "status": ["status"],
}
REQUIRED = [
    "client",
    "hiring_manager_name",
    "hiring_manager_email",
    "recruiter_email",
    "candidate_name",
    "job_title",
    "start_date",
]
LANGUAGES = {"": "nl", "nl": "nl", "nederlands": "nl", "dutch": "nl", "en": "en", "engels": "en", "english": "en"}
# Contract types as agencies write them; anything else is passed on and refused by placement_check.
CONTRACTS = {
    "vast": "permanent",
    "onbepaalde tijd": "permanent",
    "bepaalde tijd": "fixed_term",
    "tijdelijk": "fixed_term",
    "bepaalde tijd zonder einddatum": "fixed_term_open",
    "zonder einddatum": "fixed_term_open",
    "fixed term": "fixed_term",
}
STATUSES = {"": "open", "open": "open", "closed": "closed", "afgesloten": "closed", "gesloten": "closed"}
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y")
LIMITS = {
    "client": 200,
    "hiring_manager_name": 200,
    "candidate_name": 200,
    "job_title": 200,
    "job_family": 100,
    "external_id": 100,
}
# Who ended the employment and why, as agencies write them; the codes themselves are read too. Anything else is
# passed on and refused by services.departure_check with the list of codes.
ENDED_BY = {
    "kandidaat": "candidate",
    "werknemer": "candidate",
    "medewerker": "candidate",
    "employee": "candidate",
    "werkgever": "employer",
    "opdrachtgever": "employer",
    "beide": "both",
    "wederzijds": "both",
    "mutual": "both",
}
REASONS = {
    "andere baan": "other_job",
    "functie": "role",
    "werkdruk": "workload",
    "team": "team",
    "leidinggevende": "team",
    "salaris": "pay",
    "arbeidsvoorwaarden": "pay",
    "ontwikkeling": "development",
    "persoonlijk": "personal",
    "persoonlijke omstandigheden": "personal",
    "functioneren": "performance",
    "reorganisatie": "business",
    "onbekend": "unknown",
}


# What placement_check reads besides the parties and the dates.
CANDIDATE_FIELDS = ("contract_type", "contract_months", "candidate_email", "candidate_language", "search_started_on")
# Numbers from the ATS beside the client's opinions (the mirror), with their bounds.
FACTS = {"candidates_introduced": 1000, "client_feedback_days": 365}
# What an import writes on a placement it updates.
UPDATED = [
    "client",
    "contact",
    "recruiter",
    "candidate_name",
    "job_title",
    "start_date",
    "probation_end_date",
    "probation_end_agreed",
    "candidate_phone",
    "job_family",
    *FACTS,
    *CANDIDATE_FIELDS,
]


@dataclass
class ParseResult:
    rows: list[dict] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (row number, message); row 0 = the file

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def _normalise_header(value) -> str:
    return re.sub(r"\s+", " ", str(value or "").strip().lower().replace("\ufeff", ""))


def _decode(content: bytes) -> str:
    if b"\x00" in content[:4096]:
        raise ValueError
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252")


def _read_table(content: bytes) -> list[list[str]]:
    if content[:4] == b"PK\x03\x04":
        import openpyxl

        try:
            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise ValueError from exc
        sheet = book.worksheets[0]
        table = []
        for row in sheet.iter_rows(values_only=True):
            table.append(
                ["" if v is None else (v.strftime("%Y-%m-%d") if hasattr(v, "strftime") else str(v)) for v in row]
            )
            if len(table) > MAX_ROWS + 1:
                break
        return table
    text = _decode(content)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ("\t" if first.count("\t") > first.count(",") else ",")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def parse_date(value: str):
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


class FileRefused(ValueError):
    """The file as a whole cannot be imported; the message says why."""


def _columns(content: bytes) -> tuple[dict[str, int], list[list[str]]]:
    return columns_of(content, COLUMNS, REQUIRED)


def columns_of(content: bytes, columns: dict, required: list) -> tuple[dict[str, int], list[list[str]]]:
    """The index of each of `columns` in the file and the non-empty data rows; FileRefused otherwise. Shared by
    the placements import and the import of introduced candidates."""
    if len(content) > MAX_BYTES:
        raise FileRefused(
            _("The file is larger than %(mb)d MB. Split it into smaller files.") % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    try:
        table = _read_table(content)
    except (ValueError, UnicodeDecodeError, csv.Error) as exc:
        raise FileRefused(_("This is not a CSV or Excel (.xlsx) file that can be read.")) from exc
    table = [row for row in table if any(cell.strip() for cell in row)]
    if not table:
        raise FileRefused(_("The file is empty."))
    headers = [_normalise_header(h) for h in table[0]]
    repeated = sorted({h for h in headers if h and headers.count(h) > 1})
    if repeated:
        raise FileRefused(
            _("The column %(column)s appears more than once; keep one.") % {"column": ", ".join(repeated)}
        )
    index = {}
    for name, aliases in columns.items():
        found = [i for i, header in enumerate(headers) if header in aliases]
        if len(found) > 1:
            raise FileRefused(
                _("The columns %(columns)s all mean %(name)s; keep one.")
                % {"columns": ", ".join(table[0][i].strip() for i in found), "name": name}
            )
        if found:
            index[name] = found[0]
    missing = [name for name in required if name not in index]
    if missing:
        raise FileRefused(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    if len(table) - 1 > MAX_ROWS:
        raise FileRefused(_("The file has more than %(max)d rows.") % {"max": MAX_ROWS})
    return index, table[1:]


def used_columns(content: bytes) -> bytes:
    """The uploaded file reduced to the columns the import reads, as UTF-8 CSV: an extra column (a BSN,
    a salary, a date of birth) is never stored. Raises FileRefused with the reason."""
    index, rows = _columns(content)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(list(index))
    for raw in rows:
        writer.writerow([raw[i] if i < len(raw) else "" for i in index.values()])
    return out.getvalue().encode()


def parse(content: bytes, *, organisation: Organisation) -> ParseResult:
    """Check the whole file and every row; nothing is written."""
    result = ParseResult()
    try:
        index, rows = _columns(content)
    except FileRefused as refused:
        result.errors.append((0, str(refused)))
        return result
    recruiters = {u.email: u for u in User.objects.filter(organisation=organisation, is_active=True)}
    seen_ids = {}
    for number, raw in enumerate(rows, start=2):
        row = {name: (raw[i].strip() if i < len(raw) else "") for name, i in index.items()}
        result.rows.append(_check_row(row, number, recruiters, seen_ids, result.errors))
    _check_placements(organisation, result)
    return result


def _rule_messages(error: ValidationError) -> list[str]:
    return [m for messages in error.message_dict.values() for m in messages]


def _check_placements(organisation: Organisation, result: ParseResult) -> None:
    """The placement rules of the one write path (services.placement_check), on every row before anything is
    written: rows not yet in the database are checked as the unsaved rows the import would write."""
    with_errors = {number for number, _message in result.errors}
    emails = {row["hiring_manager_email"] for row in result.rows}
    clients = {c.name.lower(): c for c in Client.objects.filter(organisation=organisation)}
    contacts = {
        c.email: c for c in Contact.objects.filter(organisation=organisation, email__in=emails).select_related("client")
    }
    for number, row in enumerate(result.rows, start=2):
        if number in with_errors:
            continue
        client = clients.setdefault(row["client"].lower(), Client(organisation=organisation, name=row["client"]))
        email = row["hiring_manager_email"]
        contact = contacts.setdefault(email, Contact(organisation=organisation, client=client, email=email))
        try:
            services.placement_check(
                organisation,
                client=client,
                contact=contact,
                recruiter=row["recruiter"],
                start_date=row["start_date"],
                probation_end_date=row["probation_end_date"],
                **{name: row[name] for name in CANDIDATE_FIELDS},
            )
        except ValidationError as error:
            result.errors.extend((number, message) for message in _rule_messages(error))
        try:
            _check_departure(row)
        except ValidationError as error:
            result.errors.extend((number, message) for message in _rule_messages(error))
    result.errors.sort(key=lambda e: e[0])


def _departs(row: dict) -> bool:
    return bool(row["left_on"] or row["ended_by"] or row["leave_reason"])


def _check_departure(row: dict) -> None:
    """A row with a last working day is a departure: the rules are the placement page's and the API's."""
    if _departs(row):
        services.departure_check(
            start_date=row["start_date"],
            status="open",
            outcome="left",
            left_on=row["left_on"],
            ended_by=row["ended_by"],
            reason=row["leave_reason"],
        )


def _check_row(row: dict, number: int, recruiters: dict, seen_ids: dict, errors: list) -> dict:
    def error(message):
        errors.append((number, message))

    for name in REQUIRED:
        if not row.get(name):
            error(_("%(column)s is empty.") % {"column": name})
    for name, limit in LIMITS.items():
        if len(row.get(name, "")) > limit:
            error(_("%(column)s is longer than %(max)d characters.") % {"column": name, "max": limit})
    for name, value in row.items():
        if "\x00" in value:
            error(_("%(column)s contains a character that is not allowed.") % {"column": name})
    email = row.get("hiring_manager_email", "").lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            error(_("%(value)s is not a valid email address.") % {"value": email[:100]})
    row["hiring_manager_email"] = email
    recruiter_email = row.get("recruiter_email", "").lower()
    row["recruiter"] = recruiters.get(recruiter_email)
    if recruiter_email and row["recruiter"] is None:
        error(services.RECRUITER_UNKNOWN % {"email": recruiter_email[:100]})
    language = LANGUAGES.get(row.get("language", "").lower())
    if language is None:
        error(_("Language must be nl or en."))
    row["language"] = language or "nl"
    candidate_language = LANGUAGES.get(row.get("candidate_language", "").lower())
    if candidate_language is None:
        error(services.CANDIDATE_LANGUAGE)
    row["candidate_language"] = candidate_language or "nl"
    row["candidate_email"] = row.get("candidate_email", "").lower()
    row["candidate_phone"] = row.get("candidate_phone", "")
    contract = row.get("contract_type", "").strip().lower()
    row["contract_type"] = CONTRACTS.get(contract, contract)
    months = row.get("contract_months", "").strip()
    row["contract_months"] = None
    if months:
        if months.isascii() and months.isdigit() and 1 <= int(months) <= 120:
            row["contract_months"] = int(months)
        else:
            error(_("contract_months %(value)s is not a number of months from 1 to 120.") % {"value": months[:20]})
    status = STATUSES.get(row.get("status", "").lower())
    if status is None:
        error(_("Status must be open or closed."))
    row["status"] = status or "open"
    row["job_family"] = " ".join(row.get("job_family", "").split())
    ended_by = row.get("ended_by", "").lower()
    row["ended_by"] = ENDED_BY.get(ended_by, ended_by)
    reason = row.get("leave_reason", "").lower()
    row["leave_reason"] = REASONS.get(reason, reason)
    for name, most in FACTS.items():
        value = row.get(name, "").strip()
        row[name] = None
        if value:
            if value.isascii() and value.isdigit() and int(value) <= most:
                row[name] = int(value)
            else:
                error(
                    _("%(column)s %(value)s is not a number from 0 to %(max)d.")
                    % {"column": name, "value": value[:20], "max": most}
                )
    for name in ("start_date", "probation_end_date", "left_on", "search_started_on"):
        if row.get(name):
            parsed = parse_date(row[name])
            if parsed is None:
                error(
                    _("%(column)s %(value)s is not a date (use 2026-03-31 or 31-03-2026).")
                    % {"column": name, "value": row[name][:20]}
                )
            row[name] = parsed
        else:
            row[name] = None
    external_id = row.get("external_id", "")
    if external_id:
        if external_id in seen_ids:
            error(
                _("External id %(value)s also appears in row %(row)d.")
                % {"value": external_id[:100], "row": seen_ids[external_id]}
            )
        seen_ids.setdefault(external_id, number)
    row["external_id"] = external_id
    return row


@transaction.atomic
def import_rows(*, organisation: Organisation, rows: list[dict]) -> list[Placement]:
    """Create or update all rows in one transaction (external ids are upserted)."""
    integration, _created = Integration.objects.get_or_create(organisation=organisation, name=IMPORT_INTEGRATION)
    clients = {c.name.lower(): c for c in Client.objects.filter(organisation=organisation)}
    new_clients = {}
    for row in rows:
        key = row["client"].lower()
        if key not in clients and key not in new_clients:
            new_clients[key] = Client(organisation=organisation, name=row["client"])
    Client.objects.bulk_create(new_clients.values())
    clients.update(
        {
            c.name.lower(): c
            for c in Client.objects.filter(organisation=organisation, name__in=[c.name for c in new_clients.values()])
        }
    )
    contacts = {
        c.email: c
        for c in Contact.objects.filter(organisation=organisation, email__in={r["hiring_manager_email"] for r in rows})
    }
    new_contacts = {}
    for row in rows:
        email = row["hiring_manager_email"]
        if email not in contacts and email not in new_contacts:
            new_contacts[email] = Contact(
                organisation=organisation,
                client=clients[row["client"].lower()],
                name=row["hiring_manager_name"],
                email=email,
                language=row["language"],
            )
    Contact.objects.bulk_create(new_contacts.values())
    contacts.update(
        {c.email: c for c in Contact.objects.filter(organisation=organisation, email__in=list(new_contacts))}
    )
    existing = {
        p.external_id: p
        for p in Placement.objects.filter(
            integration=integration, external_id__in=[r["external_id"] for r in rows if r["external_id"]]
        )
    }
    to_create, to_update, to_close, to_place = [], [], [], []
    for row in rows:
        # The rules again, now on the rows as written: the preview was checked before this transaction.
        services.placement_check(
            organisation,
            client=clients[row["client"].lower()],
            contact=contacts[row["hiring_manager_email"]],
            recruiter=row["recruiter"],
            start_date=row["start_date"],
            probation_end_date=row["probation_end_date"],
            **{name: row[name] for name in CANDIDATE_FIELDS},
        )
        values = {
            "client": clients[row["client"].lower()],
            "contact": contacts[row["hiring_manager_email"]],
            "recruiter": row["recruiter"],
            "candidate_name": row["candidate_name"],
            "job_title": row["job_title"],
            "start_date": row["start_date"],
            "probation_end_date": row["probation_end_date"],
            "candidate_phone": row["candidate_phone"],
            "job_family": row["job_family"],
            **{name: row[name] for name in FACTS},
            **{name: row[name] for name in CANDIDATE_FIELDS},
        }
        _check_departure(row)
        values = services.with_terms(values)  # the agreed end of probation, or the contract's legal one
        placement = existing.get(row["external_id"]) if row["external_id"] else None
        if placement is None:
            placement = Placement(
                organisation=organisation,
                integration=integration if row["external_id"] else None,
                external_id=row["external_id"],
                **values,
            )
            to_create.append(placement)
        else:
            for name, value in values.items():
                setattr(placement, name, value)
            to_update.append(placement)
        to_place.append(placement)
        if row["status"] == "closed":
            to_close.append(placement)
    Placement.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        Placement.objects.bulk_update(to_update, UPDATED, batch_size=1000)
    for placement in to_close:
        if placement.status == Placement.Status.OPEN:
            services.placement_close(placement=placement)
    for row, placement in zip(rows, to_place, strict=True):
        if _departs(row):
            services.placement_record_outcome(
                placement=placement,
                outcome="left",
                left_on=row["left_on"],
                ended_by=row["ended_by"],
                reason=row["leave_reason"],
            )
    Placement.objects.filter(pk__in=[p.pk for p in to_create + to_update]).update(updated_at=timezone.now())
    return to_create + to_update
