"""Evaluation both ways: the recruiter's rating of the client, and the commitments both sides carry into the
next placement for that client."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from nps.models import ClientRating, Commitment, FollowUp
from placements.models import Placement

NOT_CLOSED = _("Rate the client once the placement is closed.")
RATING_RANGE = _("Choose a rating from 1 to 5.")
RATING_NEEDED = _("Rate all four: briefing, feedback, reachability and decisions.")
UNKNOWN_NEED = _("Choose what you needed from the client from the list.")
NOT_YOURS = _("Only the placement's recruiter rates the client.")
STATUS_UNKNOWN = _("Choose kept, not kept or no longer relevant.")


def _score(value, field: str, errors: dict) -> int | None:
    text = str(value if value is not None else "").strip()
    if not text:
        errors[field] = RATING_NEEDED
        return None
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= 5):
        errors[field] = RATING_RANGE
        return None
    return int(text)


@transaction.atomic
def rating_record(*, placement: Placement, user: User, values: dict) -> ClientRating:
    """The recruiter rates the client for a closed placement (again, to correct it). What they needed becomes
    a commitment the client owns."""
    errors = {}
    if placement.status != Placement.Status.CLOSED:
        raise ValidationError(NOT_CLOSED)
    if user.pk != placement.recruiter_id:
        raise ValidationError(NOT_YOURS)
    scores = {field: _score(values.get(field), field, errors) for field in ClientRating.FIELDS}
    needs = list(dict.fromkeys(values.get("client_needs") or []))
    if any(need not in FollowUp.ClientNeed.values for need in needs):
        errors["client_needs"] = UNKNOWN_NEED
    note = (values.get("client_needs_note") or "").strip()
    if "\x00" in note:
        errors["client_needs_note"] = _("The text contains a character that is not allowed.")
    elif len(note) > 500:
        errors["client_needs_note"] = _("At most %(max)d characters.") % {"max": 500}
    if errors:
        raise ValidationError(errors)
    rating, _created = ClientRating.objects.update_or_create(
        placement=placement,
        defaults={
            "organisation_id": placement.organisation_id,
            "client_id": placement.client_id,
            "recruiter_id": placement.recruiter_id,
            **scores,
            "client_needs": needs,
            "client_needs_note": note,
        },
    )
    _carry(
        source=Commitment.Source.RATING,
        owner=Commitment.Owner.CLIENT,
        needs=needs,
        text=note,
        rating=rating,
        client_id=placement.client_id,
        organisation_id=placement.organisation_id,
        recruiter_id=placement.recruiter_id,
    )
    return rating


def _carry(*, source, owner, needs, text, client_id, organisation_id, recruiter_id, followup=None, rating=None):
    """Keep the commitment of one evaluation answer in step with it: made when there is something to carry,
    its words updated while it is open, removed when the answer was emptied before anyone marked it."""
    key = {"followup": followup, "source": source} if followup is not None else {"rating": rating, "source": source}
    existing = Commitment.objects.select_for_update().filter(**key).first()
    if not needs and not text:
        if existing and existing.status == Commitment.Status.OPEN:
            existing.delete()
        return None
    if existing is None:
        return Commitment.objects.create(
            organisation_id=organisation_id,
            client_id=client_id,
            owner=owner,
            needs=needs,
            text=text,
            recruiter_id=recruiter_id,
            **key,
        )
    if existing.status == Commitment.Status.OPEN and (existing.needs, existing.text) != (needs, text):
        existing.needs, existing.text = needs, text
        existing.save(update_fields=["needs", "text"])
    return existing


def commitments_from_followup(*, followup: FollowUp) -> None:
    """The call's "what do you expect next time?" (the agency's to keep) and "what I needed from the client"
    (the client's to keep)."""
    response = followup.response
    common = {
        "client_id": response.client_id,
        "organisation_id": followup.organisation_id,
        "recruiter_id": followup.owner_id,
        "followup": followup,
    }
    _carry(
        source=Commitment.Source.EXPECTATION,
        owner=Commitment.Owner.AGENCY,
        needs=[],
        text=followup.expectations.strip(),
        **common,
    )
    _carry(
        source=Commitment.Source.NEED,
        owner=Commitment.Owner.CLIENT,
        needs=list(followup.client_needs or []),
        text=followup.client_needs_note.strip(),
        **common,
    )


RESOLVED = (Commitment.Status.KEPT, Commitment.Status.NOT_KEPT, Commitment.Status.NOT_RELEVANT)


@transaction.atomic
def commitment_resolve(*, commitment: Commitment, user: User, status: str) -> Commitment:
    """Kept, not kept, or no longer relevant; "open" again to undo a mistake."""
    if status not in (*RESOLVED, Commitment.Status.OPEN):
        raise ValidationError({"status": STATUS_UNKNOWN})
    locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
    locked.status = status
    locked.resolved_at = timezone.now() if status in RESOLVED else None
    locked.resolved_by = user if status in RESOLVED else None
    if status == Commitment.Status.OPEN:
        locked.placements_since = 0
    locked.save(update_fields=["status", "resolved_at", "resolved_by", "placements_since"])
    return locked


def commitments_age(*, placement: Placement) -> int:
    """Another placement for the client closed: open commitments count it, and expire after two."""
    open_ones = Commitment.objects.filter(
        client_id=placement.client_id, status=Commitment.Status.OPEN, created_at__lt=placement.closed_at
    )
    open_ones.update(placements_since=F("placements_since") + 1)
    return Commitment.objects.filter(
        client_id=placement.client_id,
        status=Commitment.Status.OPEN,
        placements_since__gte=Commitment.EXPIRES_AFTER_PLACEMENTS,
    ).update(status=Commitment.Status.EXPIRED, resolved_at=timezone.now())
