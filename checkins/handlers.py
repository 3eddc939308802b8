"""What check-ins do when a placement ends, and their part of a candidate's personal data."""

from django.db.models import OuterRef, Q
from django.dispatch import receiver

from checkins.models import CandidateFollowUp, CheckIn, CheckInToken
from placements.signals import placement_cancelled, placement_left

FOLLOWUP_NOTES = ["situation", "what_would_help", "client_may_know"]


@receiver(placement_left, dispatch_uid="checkins_stop_when_left")
@receiver(placement_cancelled, dispatch_uid="checkins_stop_when_cancelled")
def _stop(sender, placement, **kwargs):
    from checkins import services

    services.checkins_stop_for_placement(placement=placement)


def _iso(value):
    return value.isoformat() if value is not None else None


class PersonalData:
    """The check-ins and follow-up calls of a candidate, for the per-person export, erasure and retention."""

    def export(self, placements) -> dict:
        checkins = CheckIn.objects.filter(placement__in=placements).order_by("created_at")
        followups = CandidateFollowUp.objects.filter(placement__in=placements).order_by("created_at")
        return {
            "check_ins": [
                {
                    "stage": c.stage,
                    "status": c.status,
                    "sent_at": _iso(c.sent_at),
                    "answered_at": _iso(c.answered_at),
                    "how_is_it_going": c.how_going,
                    "expectations": c.expectations,
                    "candidate_nps": c.candidate_nps,
                    "for_the_recruiter": c.message,
                    "call_requested": c.call_requested,
                }
                for c in checkins
            ],
            "check_in_follow_ups": [
                {"status": f.status, "due_date": _iso(f.due_date), "consent": f.consent}
                | {name: getattr(f, name) for name in FOLLOWUP_NOTES}
                for f in followups
            ],
        }

    def erase(self, placements) -> dict:
        """The words go, the scores stay (the reports do not change); the links stop working."""
        checkins = CheckIn.objects.filter(placement__in=placements)
        return {
            "check_in_messages": checkins.exclude(message="").update(message=""),
            "check_in_links": CheckInToken.objects.filter(checkin__in=checkins).delete()[0],
            "check_in_follow_up_notes": CandidateFollowUp.objects.filter(placement__in=placements).update(
                **dict.fromkeys(FOLLOWUP_NOTES, "")
            ),
        }

    def recent_activity(self, cutoff):
        return CheckIn.objects.filter(placement=OuterRef("pk")).filter(
            Q(sent_at__gte=cutoff) | Q(answered_at__gte=cutoff)
        )
