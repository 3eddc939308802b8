"""Reads for check-in pages. Individual answers are for the candidate's recruiter and administrators only: not
for team leads (they see aggregates of at least five, in reporting), and never for the client."""

from django.http import Http404

from accounts.models import User
from checkins.models import CandidateFollowUp, CheckIn


def may_read_answers(user: User, placement) -> bool:
    return user.organisation_id == placement.organisation_id and (
        user.role == User.Role.ADMIN or placement.recruiter_id == user.pk
    )


def checkin_for_page(*, checkin_id: int) -> CheckIn | None:
    return (
        CheckIn.objects.select_related("placement__client", "organisation", "recruiter").filter(pk=checkin_id).first()
    )


def followups_for(*, user: User):
    """The candidate follow-ups whose answers this user may read."""
    followups = CandidateFollowUp.objects.filter(organisation_id=user.organisation_id)
    if user.role != User.Role.ADMIN:
        followups = followups.filter(placement__recruiter=user)
    return followups.select_related("placement__client", "checkin", "owner")


def followup_get_for_user(*, user: User, pk: int) -> CandidateFollowUp:
    followup = followups_for(user=user).filter(pk=pk).first()
    if followup is None:
        raise Http404
    return followup
