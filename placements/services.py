"""Writes for clients, hiring managers and placements: one function per use case."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from evalportal.queries import one_or_none
from evalportal.text import before_full_stop
from placements import probation
from placements.models import Client, Contact, Integration, Language, Placement, PlacementImport
from placements.probation import ContractType, EndedBy, LeaveReason, Outcome
from placements.signals import placement_cancelled, placement_closed, placement_left

CONTACT_EMAIL_TAKEN = _("A hiring manager with this email address already exists.")
CLIENT_NAME_TAKEN = _("A client with this name already exists.")
CONTACT_OTHER_CLIENT = _(
    "%(email)s is a hiring manager at %(client)s. Change that hiring manager's client first, or use another address."
)
NOT_A_RECRUITER = _("Choose a recruiter of your own organisation.")
RECRUITER_UNKNOWN = _("%(email)s is not an active user of your organisation.")
CANCELLED_PLACEMENT = _("A cancelled placement cannot be closed.")
RELATED = ["organisation", "client", "contact", "recruiter", "integration", "vacancy"]
PROBATION_BEFORE_START = _("The end of probation cannot be before the start date.")
CONTRACT_UNKNOWN = _("%(value)s is not a contract type: use permanent, fixed_term or fixed_term_open.")
CONTRACT_LENGTH_NEEDED = _("A fixed-term contract needs its length in months.")
CONTRACT_LENGTH_ONLY_FIXED = _("Only a fixed-term contract with an end date has a length.")
NO_PROBATION_ALLOWED = _("A fixed-term contract of 6 months or less has no probation period (art. 7:652 BW).")
NOT_AN_EMAIL = _("%(value)s is not a valid email address.")
CANDIDATE_LANGUAGE = _("The candidate's language must be nl or en.")
SEARCH_AFTER_START = _("The search cannot start after the start date.")
VACANCY_OTHER_CLIENT = _("The vacancy belongs to another client; choose one of this client's vacancies.")
# What placement_check reads of a placement: the callers pass these (None or "" when not given).
CHECKED = (
    "client",
    "contact",
    "recruiter",
    "start_date",
    "probation_end_date",
    "contract_type",
    "contract_months",
    "candidate_email",
    "candidate_language",
    "search_started_on",
    "vacancy",
)
# A close locks the placement and its hiring manager in one query; placement_closed relies on it.
LOCKED_ON_CLOSE = ("self", "contact")


@transaction.atomic
def client_create(*, organisation: Organisation, name: str) -> Client:
    client = Client(organisation=organisation, name=name.strip())
    # The name's uniqueness is checked just below in one query; the organisation was passed in.
    client.full_clean(exclude=["organisation"], validate_unique=False, validate_constraints=False)
    if Client.objects.filter(organisation=organisation, name__iexact=client.name).exists():
        raise ValidationError({"name": CLIENT_NAME_TAKEN})
    client.save()
    return client


@transaction.atomic
def client_update(*, client: Client, name: str) -> Client:
    name = name.strip()
    if Client.objects.filter(organisation=client.organisation, name__iexact=name).exclude(pk=client.pk).exists():
        raise ValidationError({"name": CLIENT_NAME_TAKEN})
    client.name = name
    client.full_clean(exclude=["organisation"], validate_unique=False, validate_constraints=False)
    client.save(update_fields=["name"])
    return client


@transaction.atomic
def contact_create(
    *, organisation: Organisation, client: Client, name: str, email: str, language: str = "nl", phone: str = ""
) -> Contact:
    contact = Contact(
        organisation=organisation,
        client=client,
        name=name.strip(),
        email=email.strip().lower(),
        language=language,
        phone=phone.strip(),
    )
    # The email's uniqueness is checked explicitly; the related rows were passed in as objects.
    contact.full_clean(exclude=["organisation", "client"], validate_unique=False, validate_constraints=False)
    if Contact.objects.filter(organisation=organisation, email=contact.email).exists():
        raise ValidationError({"email": CONTACT_EMAIL_TAKEN})
    contact.save()
    return contact


# contact_update, placement_create and placement_update write one row with one statement after their
# checks: no transaction of their own, so inside the API's and the import's they cost no savepoints.
def contact_update(*, contact: Contact, **fields) -> Contact:
    if "email" in fields:
        fields["email"] = fields["email"].strip().lower()
        taken = Contact.objects.filter(organisation=contact.organisation, email=fields["email"]).exclude(pk=contact.pk)
        if taken.exists():
            raise ValidationError({"email": CONTACT_EMAIL_TAKEN})
    for name, value in fields.items():
        setattr(contact, name, value)
    # The email's uniqueness is checked explicitly; the related rows were passed in as objects.
    contact.full_clean(exclude=["organisation", "client"], validate_unique=False, validate_constraints=False)
    contact.save()
    return contact


def contact_ensure(*, organisation: Organisation, client: Client, name: str, email: str, language: str) -> Contact:
    """The hiring manager with this email, created or brought up to date (imports and the API).

    A hiring manager belongs to one client: an address already known at another client is refused
    (placement_check's rule), never moved, so earlier answers keep counting for the client they were about.
    """
    email = email.strip().lower()
    # No join for the client: the rule compares ids, and only its refusal reads the other client's name.
    contact = one_or_none(Contact.objects.filter(organisation=organisation, email=email))
    if contact is None:
        candidate = Contact(organisation=organisation, client=client, name=name.strip(), email=email, language=language)
        candidate.full_clean(exclude=["organisation", "client"], validate_unique=False, validate_constraints=False)
        # An upsert: a simultaneous request may create the same one; no savepoint, and the id comes back.
        (contact,) = Contact.objects.bulk_create(
            [candidate], update_conflicts=True, unique_fields=["organisation", "email"], update_fields=["email"]
        )
    _check_contact(contact=contact, client=client)
    changed = {}
    if contact.name != name.strip():
        changed["name"] = name.strip()
    if contact.language != language:
        changed["language"] = language
    if changed:
        contact = contact_update(contact=contact, **changed)
    contact.client = client
    return contact


def client_ensure(*, organisation: Organisation, name: str) -> Client:
    """The client with this name (any case), created when new (imports and the API)."""
    name = name.strip()
    client = one_or_none(Client.objects.filter(organisation=organisation, name__iexact=name))
    if client is None:
        candidate = Client(organisation=organisation, name=name)
        candidate.full_clean(exclude=["organisation"], validate_unique=False, validate_constraints=False)
        Client.objects.bulk_create([candidate], ignore_conflicts=True)
        client = one_or_none(Client.objects.filter(organisation=organisation, name__iexact=name))
    return client


@transaction.atomic
def contact_opt_out(*, contact: Contact) -> Contact:
    """The hiring manager asked not to be surveyed again."""
    Contact.objects.filter(pk=contact.pk, opted_out_at__isnull=True).update(opted_out_at=timezone.now())
    contact.refresh_from_db(fields=["opted_out_at"])
    return contact


def _works_at(contact: Contact, client: Client) -> bool:
    """By id when both rows are saved; by identity when not (the import's preview checks unwritten rows)."""
    if contact.client_id is not None and client.pk is not None:
        return contact.client_id == client.pk
    return contact.client is client


def _check_contact(*, contact: Contact, client: Client) -> None:
    if not _works_at(contact, client):
        raise ValidationError(
            {
                "contact": ValidationError(
                    CONTACT_OTHER_CLIENT,
                    code="other_client",
                    params={"email": contact.email, "client": before_full_stop(contact.client.name)},
                )
            }
        )


def recruiter_for_email(*, organisation: Organisation, email: str) -> User:
    """The organisation's active user with this address (the API and the import name recruiters by email)."""
    user = one_or_none(User.objects.filter(organisation=organisation, email=email.strip().lower(), is_active=True))
    if user is None:
        raise ValidationError(
            {"recruiter": ValidationError(RECRUITER_UNKNOWN, code="recruiter", params={"email": email[:100]})}
        )
    return user


def placement_check(
    organisation: Organisation,
    *,
    client: Client,
    contact: Contact,
    recruiter: User | None,
    start_date: datetime.date | None,
    probation_end_date: datetime.date | None,
    contract_type: str = "",
    contract_months: int | None = None,
    candidate_email: str = "",
    candidate_language: str = "nl",
    search_started_on: datetime.date | None = None,
    vacancy=None,
) -> None:
    """Every rule a placement meets, for the form, the API and the import alike: one place, one answer.

    Raises a ValidationError keyed by field. Works on rows not yet saved (the import's preview) and costs no
    query when the related rows were loaded with the placement. `probation_end_date` is the agreed end, if
    any: without one the placement gets the legal maximum of its contract (placements.probation.terms).
    """
    errors = {}
    if contract_type and contract_type not in ContractType.values:
        errors["contract_type"] = ValidationError(
            CONTRACT_UNKNOWN, code="contract_type", params={"value": str(contract_type)[:40]}
        )
    elif contract_type == ContractType.FIXED_TERM and not contract_months:
        errors["contract_months"] = CONTRACT_LENGTH_NEEDED
    elif contract_months and contract_type != ContractType.FIXED_TERM:
        errors["contract_months"] = CONTRACT_LENGTH_ONLY_FIXED
    elif probation_end_date and probation.legal_months(contract_type, contract_months) == 0:
        errors["probation_end_date"] = NO_PROBATION_ALLOWED
    if candidate_email:
        try:
            validate_email(candidate_email)
        except ValidationError:
            errors["candidate_email"] = ValidationError(
                NOT_AN_EMAIL, code="candidate_email", params={"value": candidate_email[:100]}
            )
    if candidate_language not in Language.values:
        errors["candidate_language"] = CANDIDATE_LANGUAGE
    if recruiter is None or recruiter.organisation_id != organisation.pk:
        errors["recruiter"] = NOT_A_RECRUITER
    try:
        _check_contact(contact=contact, client=client)
    except ValidationError as error:
        errors |= error.error_dict
    if start_date and probation_end_date and probation_end_date < start_date:
        errors["probation_end_date"] = PROBATION_BEFORE_START
    if start_date and search_started_on and search_started_on > start_date:
        errors["search_started_on"] = SEARCH_AFTER_START
    if vacancy is not None and (vacancy.organisation_id != organisation.pk or vacancy.client_id != client.pk):
        errors["vacancy"] = VACANCY_OTHER_CLIENT
    if errors:
        raise ValidationError(errors)


def _checked(fields: dict) -> dict:
    defaults = {"contract_type": "", "candidate_email": "", "candidate_language": "nl"}
    return {k: fields.get(k, defaults.get(k)) for k in CHECKED}


def with_terms(fields: dict) -> dict:
    """The fields as stored: the candidate's address normalised, the probation end agreed or the legal one."""
    if fields.get("candidate_email"):
        fields["candidate_email"] = fields["candidate_email"].strip().lower()
    settled = probation.terms(
        start_date=fields.get("start_date"),
        contract_type=fields.get("contract_type") or "",
        contract_months=fields.get("contract_months"),
        agreed_end=fields.get("probation_end_date"),
    )
    return fields | {
        "probation_end_date": settled.probation_end_date,
        "probation_end_agreed": settled.probation_end_agreed,
    }


def placement_create(*, organisation: Organisation, **fields) -> Placement:
    """`probation_end_date` is the agreed end of probation; without one the contract's legal maximum is used."""
    placement_check(organisation, **_checked(fields))
    placement = Placement(organisation=organisation, **with_terms(fields))
    # The constraints are the database's; the rules they encode were checked above without a query each,
    # and the related rows were passed in as objects.
    placement.full_clean(exclude=RELATED, validate_unique=False, validate_constraints=False)
    placement.save()
    return placement


def placement_update(*, placement: Placement, **fields) -> Placement:
    """Change the fields given. `probation_end_date` given as None returns to the legal maximum; not given,
    an agreed end stays and a legal one moves with the start date and the contract."""
    if "probation_end_date" not in fields:
        fields["probation_end_date"] = placement.probation_end_date if placement.probation_end_agreed else None
    current = {name: getattr(placement, name) for name in CHECKED if name not in fields}
    placement_check(placement.organisation, **_checked(current | fields))
    for name, value in with_terms(current | fields).items():
        setattr(placement, name, value)
    if placement.left_on:  # a moved start or end of probation can move the departure in or out of it
        placement.probation_outcome = probation_outcome_of(placement, placement.left_on)
    placement.full_clean()
    placement.save()
    return placement


@transaction.atomic
def placement_close(*, placement: Placement) -> Placement:
    """Close the placement; nps schedules the survey invitation in the same transaction.

    Closing a closed placement changes nothing (the API may send it twice).
    """
    locked = (
        Placement.objects.select_for_update(of=LOCKED_ON_CLOSE)
        .select_related("organisation", "client", "contact")
        .get(pk=placement.pk)
    )
    return _close(locked)


@transaction.atomic
def placement_close_external(*, integration: Integration, external_id: str) -> Placement | None:
    """Close an integration's placement by its external id (the API): one locked read, None when unknown."""
    locked = one_or_none(
        Placement.objects.select_for_update(of=LOCKED_ON_CLOSE)
        .select_related("organisation", "client", "contact", "recruiter")
        .filter(integration=integration, external_id=external_id)
    )
    return None if locked is None else _close(locked)


def _close(locked: Placement) -> Placement:
    if locked.status == Placement.Status.CLOSED:
        return locked
    if locked.status == Placement.Status.CANCELLED:
        raise ValidationError(CANCELLED_PLACEMENT, code="cancelled")
    locked.status = Placement.Status.CLOSED
    locked.closed_at = timezone.now()
    locked.save(update_fields=["status", "closed_at", "updated_at"])
    placement_closed.send(sender=Placement, placement=locked)
    return locked


@transaction.atomic
def placement_cancel(*, placement: Placement) -> Placement:
    """Cancel the placement; its unsent invitation is cancelled with it."""
    locked = Placement.objects.select_for_update().get(pk=placement.pk)
    if locked.status == Placement.Status.CANCELLED:
        return locked
    locked.status = Placement.Status.CANCELLED
    locked.cancelled_at = timezone.now()
    locked.save(update_fields=["status", "cancelled_at", "updated_at"])
    placement_cancelled.send(sender=Placement, placement=locked)
    return locked


OUTCOME_UNKNOWN = _("%(value)s is not an outcome: use stayed or left.")
ENDED_BY_UNKNOWN = _("%(value)s is not who ended it: use candidate, employer or both.")
REASON_UNKNOWN = _("%(value)s is not a reason for leaving: use one of %(choices)s.")
LEFT_NEEDS_DATE = _("Give the last working day, who ended the employment and the reason.")
LEFT_BEFORE_START = _("The last working day cannot be before the start date.")
STAYED_HAS_NO_DATE = _("A candidate who stayed has no last working day, no one who ended it and no reason.")
OUTCOME_CANCELLED = _("A cancelled placement has no probation outcome or departure.")


def departure_check(
    *, start_date: datetime.date | None, status: str, outcome: str, left_on, ended_by: str, reason: str
) -> None:
    """The rules of a probation outcome and a departure, for the page, the API and the import alike."""
    errors = {}
    if outcome not in Outcome.values:
        errors["probation_outcome"] = ValidationError(OUTCOME_UNKNOWN, code="outcome", params={"value": outcome[:40]})
    elif outcome == Outcome.LEFT:
        if not left_on or not ended_by or not reason:
            errors["left_on"] = LEFT_NEEDS_DATE
        if ended_by and ended_by not in EndedBy.values:
            errors["ended_by"] = ValidationError(ENDED_BY_UNKNOWN, code="ended_by", params={"value": ended_by[:40]})
        if reason and reason not in LeaveReason.values:
            errors["leave_reason"] = ValidationError(
                REASON_UNKNOWN, code="reason", params={"value": reason[:40], "choices": ", ".join(LeaveReason.values)}
            )
        if left_on and start_date and left_on < start_date:
            errors["left_on"] = LEFT_BEFORE_START
    elif left_on or ended_by or reason:
        errors["left_on"] = STAYED_HAS_NO_DATE
    if status == Placement.Status.CANCELLED:
        errors["probation_outcome"] = OUTCOME_CANCELLED
    if errors:
        raise ValidationError(errors)


def probation_outcome_of(placement: Placement, left_on: datetime.date | None) -> str:
    """The probation outcome a departure on left_on means: "left" on or before the end of probation, "stayed"
    after it, nothing when the placement has no probation period."""
    if left_on is None:
        return Outcome.STAYED
    if not placement.probation_end_date:
        return ""
    return Outcome.LEFT if left_on <= placement.probation_end_date else Outcome.STAYED


@transaction.atomic
def placement_record_outcome(
    *,
    placement: Placement,
    outcome: str,
    left_on: datetime.date | None = None,
    ended_by: str = "",
    reason: str = "",
    user: User | None = None,
) -> Placement:
    """Record that the candidate is still employed after probation, or that they left: the last working day,
    who ended it and the reason category. The departure and the probation outcome are one fact: a departure
    on or before the end of probation is "left during probation", a later one follows a probation survived.

    From the placement's page, the API and the import alike. A departure stops the candidate's check-ins
    (placement_left). It may be corrected later: the last recording counts.
    """
    departure_check(
        start_date=placement.start_date,
        status=placement.status,
        outcome=outcome,
        left_on=left_on,
        ended_by=ended_by,
        reason=reason,
    )
    left = outcome == Outcome.LEFT
    locked = Placement.objects.select_for_update().get(pk=placement.pk)
    locked.left_on = left_on if left else None
    locked.ended_by = ended_by if left else ""
    locked.leave_reason = reason if left else ""
    locked.probation_outcome = probation_outcome_of(locked, locked.left_on)
    locked.outcome_recorded_at = timezone.now()
    locked.outcome_recorded_by = user
    locked.save(
        update_fields=[
            "probation_outcome",
            "left_on",
            "ended_by",
            "leave_reason",
            "outcome_recorded_at",
            "outcome_recorded_by",
            "updated_at",
        ]
    )
    if left:
        placement_left.send(sender=Placement, placement=locked)
    return locked


@transaction.atomic
def candidate_opt_out(*, placement: Placement) -> None:
    """The candidate asked for no more check-ins about this placement."""
    Placement.objects.filter(pk=placement.pk, candidate_opted_out_at__isnull=True).update(
        candidate_opted_out_at=timezone.now()
    )


# An upload waits for its preview to be confirmed at most this long; then it is deleted (beat).
IMPORT_KEPT_HOURS = 24


def import_upload(*, user: User, filename: str, content: bytes) -> PlacementImport:
    """Keep an uploaded file for its preview: only the columns the import reads (importer.used_columns)."""
    from placements import importer

    return PlacementImport.objects.create(
        organisation=user.organisation,
        uploaded_by=user,
        filename=filename[:200],
        content=importer.used_columns(content),
    )


def import_done(*, stored: PlacementImport, rows: int) -> None:
    """The import went through: the row stays as its record, the file's content goes."""
    PlacementImport.objects.filter(pk=stored.pk, imported_at__isnull=True).update(
        imported_at=timezone.now(), imported_rows=rows, content=b""
    )


def import_refused(*, stored: PlacementImport) -> None:
    """The file cannot be imported as it is: nothing of it is kept."""
    PlacementImport.objects.filter(pk=stored.pk, imported_at__isnull=True).delete()


def imports_clear_abandoned(*, now: datetime.datetime | None = None) -> int:
    """Delete uploads whose preview was never confirmed within IMPORT_KEPT_HOURS."""
    cutoff = (now or timezone.now()) - datetime.timedelta(hours=IMPORT_KEPT_HOURS)
    return PlacementImport.objects.filter(imported_at__isnull=True, created_at__lt=cutoff).delete()[0]
