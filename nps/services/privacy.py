"""Personal data of hiring managers and candidates (AVG/GDPR): export, erasure and retention.

Anonymising keeps every score, answer and date, so the dashboards do not
change; it removes names, email addresses, phone numbers, the hiring
manager's comments and the notes of follow-up calls, and makes the survey
links stop working. Each export, erasure and retention run leaves a
PrivacyRecord that names the person only by a hash of the email address.
"""

import csv
import hashlib
import io
from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import Organisation, User
from nps.models import Answer, FollowUp, Invitation, InvitationPlacement, InvitationToken, PrivacyRecord, Response
from placements import hooks
from placements.models import Contact, Placement, PlacementImport

FOLLOWUP_NOTES = ["went_well", "could_be_better", "expectations", "client_needs_note", "outcome", "closing_note"]


def subject_hash(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def _contacts(*, organisation: Organisation, email: str):
    return Contact.objects.filter(organisation=organisation, email=email.strip().lower())


def _pending_imports(*, organisation: Organisation, email: str) -> list[tuple[PlacementImport, list[dict]]]:
    """Uploads waiting for their preview to be confirmed (kept at most a day) that name this address."""
    email = email.strip().lower()
    found = []
    for stored in PlacementImport.objects.filter(organisation=organisation, imported_at__isnull=True):
        rows = csv.DictReader(io.StringIO(bytes(stored.content).decode("utf-8", "replace")), delimiter=";")
        mine = [row for row in rows if email in {(v or "").strip().lower() for v in row.values()}]
        if mine:
            found.append((stored, mine))
    return found


def _candidate_placements(*, organisation: Organisation, email: str):
    return Placement.objects.filter(organisation=organisation, candidate_email=email.strip().lower()).exclude(
        candidate_email=""
    )


def personal_data_export(*, organisation: Organisation, email: str, performed_by: User | None = None) -> dict:
    """Everything stored about the hiring manager or candidate with this email address, as plain data."""
    contacts = list(_contacts(organisation=organisation, email=email).select_related("client"))
    contact_ids = [c.pk for c in contacts]
    candidate_placements = _candidate_placements(organisation=organisation, email=email)
    placements = Placement.objects.filter(contact_id__in=contact_ids).select_related("client", "recruiter")
    invitations = Invitation.objects.filter(contact_id__in=contact_ids).order_by("created_at")
    responses = (
        Response.objects.filter(contact_id__in=contact_ids)
        .select_related("client", "recruiter")
        .prefetch_related("answers__topic")
        .order_by("created_at")
    )
    followups = FollowUp.objects.filter(response__contact_id__in=contact_ids).select_related("owner")
    data = {
        "email": email.strip().lower(),
        "organisation": organisation.name,
        "exported_at": timezone.now().isoformat(),
        "hiring_managers": [
            {
                "name": c.name,
                "email": c.email,
                "phone": c.phone,
                "language": c.language,
                "client": c.client.name,
                "opted_out_at": _iso(c.opted_out_at),
                "anonymised_at": _iso(c.anonymised_at),
                "created_at": _iso(c.created_at),
            }
            for c in contacts
        ],
        "placements": [
            {
                "candidate": p.candidate_name,
                "job_title": p.job_title,
                "client": p.client.name,
                "recruiter": str(p.recruiter),
                "start_date": _iso(p.start_date),
                "probation_end_date": _iso(p.probation_end_date),
                "status": p.status,
                "closed_at": _iso(p.closed_at),
            }
            for p in placements
        ],
        "survey_emails": [
            {
                "status": i.status,
                "language": i.language,
                "sent_at": _iso(i.sent_at),
                "reminded_at": _iso(i.last_reminded_at),
                "opened_at": _iso(i.opened_at),
                "answered_at": _iso(i.answered_at),
                "expires_at": _iso(i.expires_at),
            }
            for i in invitations
        ],
        "responses": [
            {
                "channel": r.channel,
                "client": r.client.name,
                "recruiter": str(r.recruiter),
                "nps_score": r.nps_score,
                "comment": r.comment,
                "completed_at": _iso(r.completed_at),
                "call_requested_at": _iso(r.call_requested_at),
                "answers": {a.topic.name_en: a.score for a in r.answers.all()},
            }
            for r in responses
        ],
        "follow_up_calls": [
            {"owner": str(f.owner), "status": f.status, "due_date": _iso(f.due_date)}
            | {field: getattr(f, field) for field in FOLLOWUP_NOTES}
            for f in followups
        ],
        "pending_imports": [
            {"filename": stored.filename, "uploaded_at": _iso(stored.created_at), "rows": rows}
            for stored, rows in _pending_imports(organisation=organisation, email=email)
        ],
        "placements_as_candidate": [
            {
                "candidate": p.candidate_name,
                "email": p.candidate_email,
                "phone": p.candidate_phone,
                "language": p.candidate_language,
                "job_title": p.job_title,
                "client": p.client.name,
                "recruiter": str(p.recruiter),
                "start_date": _iso(p.start_date),
                "contract_type": p.contract_type,
                "contract_months": p.contract_months,
                "probation_end_date": _iso(p.probation_end_date),
                "probation_outcome": p.probation_outcome,
                "left_on": _iso(p.left_on),
                "ended_by": p.ended_by,
                "opted_out_of_check_ins_at": _iso(p.candidate_opted_out_at),
            }
            for p in candidate_placements.select_related("client", "recruiter")
        ],
    }
    for provider in hooks.personal_data_providers():
        data |= provider.export(candidate_placements)
    for provider in hooks.person_data_providers():
        data |= provider.export(organisation, email)
    PrivacyRecord.objects.create(
        organisation=organisation,
        action=PrivacyRecord.Action.EXPORT,
        subject_hash=subject_hash(email),
        performed_by=performed_by,
        counts={key: len(value) for key, value in data.items() if isinstance(value, list)},
    )
    return data


@transaction.atomic
def personal_data_erase(*, organisation: Organisation, email: str, performed_by: User | None = None) -> dict:
    """Anonymise the hiring manager or candidate with this email address; keep the scores. Idempotent."""
    contact_ids = list(_contacts(organisation=organisation, email=email).values_list("pk", flat=True))
    counts = _anonymise_contacts(contact_ids=contact_ids)
    placement_ids = list(_candidate_placements(organisation=organisation, email=email).values_list("pk", flat=True))
    counts |= _anonymise_candidate_placements(placement_ids=placement_ids)
    for provider in hooks.person_data_providers():
        counts |= provider.erase(organisation, email)
    pending = [stored.pk for stored, _rows in _pending_imports(organisation=organisation, email=email)]
    counts["pending_imports"] = PlacementImport.objects.filter(pk__in=pending).delete()[0]
    PrivacyRecord.objects.create(
        organisation=organisation,
        action=PrivacyRecord.Action.ERASURE,
        subject_hash=subject_hash(email),
        performed_by=performed_by,
        counts=counts,
    )
    return counts


def personal_data_retain(*, now: datetime | None = None) -> dict:
    """Anonymise hiring managers and candidates without activity for the organisation's retention period."""
    now = now or timezone.now()
    totals = {"hiring_managers": 0, "candidates": 0}
    for organisation in Organisation.objects.all():
        cutoff = now - relativedelta(months=organisation.retention_months)
        with transaction.atomic():
            contact_ids = list(
                _inactive_contacts(organisation=organisation, cutoff=cutoff).values_list("pk", flat=True)
            )
            counts = _anonymise_contacts(contact_ids=contact_ids)
            counts["candidates"] = _anonymise_candidates(organisation=organisation, cutoff=cutoff, now=now)
            if counts["hiring_managers"] or counts["candidates"]:
                PrivacyRecord.objects.create(
                    organisation=organisation, action=PrivacyRecord.Action.RETENTION, counts=counts
                )
        totals["hiring_managers"] += counts["hiring_managers"]
        totals["candidates"] += counts["candidates"]
    return totals


def _inactive_contacts(*, organisation: Organisation, cutoff: datetime):
    recent = Q(created_at__gte=cutoff)
    recent_placement = Placement.objects.filter(contact=OuterRef("pk")).filter(
        Q(updated_at__gte=cutoff) | Q(closed_at__gte=cutoff)
    )
    recent_invitation = Invitation.objects.filter(contact=OuterRef("pk")).filter(
        Q(created_at__gte=cutoff) | Q(sent_at__gte=cutoff) | Q(last_reminded_at__gte=cutoff)
    )
    recent_response = Response.objects.filter(contact=OuterRef("pk"), updated_at__gte=cutoff)
    recent_followup = FollowUp.objects.filter(response__contact=OuterRef("pk"), updated_at__gte=cutoff)
    return Contact.objects.filter(organisation=organisation, anonymised_at__isnull=True).exclude(
        recent
        | Exists(recent_placement)
        | Exists(recent_invitation)
        | Exists(recent_response)
        | Exists(recent_followup)
    )


def _anonymise_contacts(*, contact_ids: list[int]) -> dict:
    now = timezone.now()
    label = _anonymised_label()
    # One statement for all of them. The address stays unique per organisation and can never be
    # delivered (.invalid, RFC 2606).
    Contact.objects.filter(pk__in=contact_ids).update(
        name=label,
        email=Concat(Value("anonymised-"), Cast("pk", CharField()), Value("@anonymised.invalid")),
        phone="",
        opted_out_at=now,
        anonymised_at=now,
    )
    responses = Response.objects.filter(contact_id__in=contact_ids)
    invitations = Invitation.objects.filter(contact_id__in=contact_ids)
    counts = {
        "hiring_managers": len(contact_ids),
        "comments": responses.exclude(comment="").update(comment=""),
        "follow_up_notes": FollowUp.objects.filter(response__contact_id__in=contact_ids).update(
            **dict.fromkeys(FOLLOWUP_NOTES, "")
        ),
        "survey_links": InvitationToken.objects.filter(invitation__contact_id__in=contact_ids).delete()[0],
        "unsent_emails_cancelled": invitations.filter(status=Invitation.Status.SCHEDULED).update(
            status=Invitation.Status.CANCELLED, cancelled_at=now, last_error=gettext("Personal data erased.")
        ),
        "scores_kept": Answer.objects.filter(response__in=responses).count()
        + responses.filter(nps_score__isnull=False).count(),
    }
    return counts


def _anonymise_candidate_placements(*, placement_ids: list[int]) -> dict:
    """The candidate's name, address and phone go; the placement, its dates and its outcome stay."""
    placements = Placement.objects.filter(pk__in=placement_ids)
    counts = {}
    for provider in hooks.personal_data_providers():
        counts |= provider.erase(placements)
    now = timezone.now()
    counts["candidate_placements"] = placements.update(
        candidate_name=_anonymised_label(),
        candidate_email="",
        candidate_phone="",
        candidate_opted_out_at=Coalesce("candidate_opted_out_at", Value(now)),
        anonymised_at=now,
    )
    return counts


def _anonymise_candidates(*, organisation: Organisation, cutoff: datetime, now: datetime) -> int:
    recent_email = InvitationPlacement.objects.filter(placement=OuterRef("pk")).filter(
        Q(invitation__sent_at__gte=cutoff) | Q(invitation__answered_at__gte=cutoff)
    )
    stale = (
        Placement.objects.filter(organisation=organisation, anonymised_at__isnull=True, updated_at__lt=cutoff)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__lt=cutoff))
        .filter(Q(probation_end_date__isnull=True) | Q(probation_end_date__lt=cutoff.date()))
        .exclude(Exists(recent_email))
    )
    for provider in hooks.personal_data_providers():
        stale = stale.exclude(Exists(provider.recent_activity(cutoff)))
    ids = list(stale.values_list("pk", flat=True))
    return _anonymise_candidate_placements(placement_ids=ids)["candidate_placements"] if ids else 0


def _anonymised_label() -> str:
    # Stored data, in the organisation's main language (Dutch first).
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("Anonymised")


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None
