"""What exit feedback does when a departure is recorded or the threshold changes, and its part of a
candidate's personal data."""

from django.db.models import OuterRef, Q
from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.models import Organisation
from exits.models import ExitFeedback, ExitInvitation, ExitInvitationToken, SelectionReflection
from exits.themes import QUESTIONS
from placements.models import Placement
from placements.signals import placement_left

TEXTS = [f"{q}_text" for q in QUESTIONS]


@receiver(placement_left, dispatch_uid="exits_departure_moved")
def _departure(sender, placement, **kwargs):
    from exits import services

    services.placement_moved(placement=placement)


@receiver(post_save, sender=Placement, dispatch_uid="exits_placement_changed")
def _placement_changed(sender, instance, created, **kwargs):
    """A departed placement moved to another client, recruiter or job family: its feedback's keys follow."""
    if not created and instance.left_on:
        from exits import services

        services.placement_moved(placement=instance)


@receiver(post_save, sender=Organisation, dispatch_uid="exits_threshold_changed")
def _threshold(sender, instance, created, update_fields=None, **kwargs):
    """A raised threshold hides the cells counted under the old one at once (patterns.table); the recount
    shows what still passes."""
    if created or (update_fields is not None and "exit_min_leavers" not in update_fields):
        return
    from exits import patterns
    from exits.models import PatternCell

    if PatternCell.objects.filter(organisation=instance).exclude(threshold=patterns.threshold(instance)).exists():
        from exits.services import recount_on_commit

        quarters = set(ExitFeedback.objects.filter(organisation=instance).values_list("quarter", flat=True))
        recount_on_commit(
            instance.pk,
            quarters | set(PatternCell.objects.filter(organisation=instance).values_list("quarter", flat=True)),
        )


def _iso(value):
    return value.isoformat() if value is not None else None


class PersonalData:
    """A leaver's exit questionnaire, answers and the recruiter's reflection, for the per-person export,
    erasure and retention."""

    def export(self, placements) -> dict:
        invitations = ExitInvitation.objects.filter(placement__in=placements).order_by("created_at")
        feedback = ExitFeedback.objects.filter(placement__in=placements).order_by("answered_at")
        reflections = SelectionReflection.objects.filter(placement__in=placements)
        return {
            "exit_questionnaires": [
                {"status": i.status, "sent_at": _iso(i.sent_at), "answered_at": _iso(i.answered_at)}
                for i in invitations
            ],
            "exit_feedback": [
                {
                    "source": f.source,
                    "answered_at": _iso(f.answered_at),
                    "scores": {q: getattr(f, f"{q}_score") for q in QUESTIONS},
                    "themes": f.themes,
                    "texts": {q: getattr(f, f"{q}_text") for q in QUESTIONS},
                    "employer_nps": f.employer_nps,
                }
                for f in feedback
            ],
            "selection_reflections": [{"signals_seen": r.signals_seen, "signals": r.signals_text} for r in reflections],
        }

    def erase(self, placements) -> dict:
        """The words go, the scores and themes stay (the patterns do not change); the links stop working."""
        feedback = ExitFeedback.objects.filter(placement__in=placements)
        invitations = ExitInvitation.objects.filter(placement__in=placements)
        return {
            "exit_feedback_texts": feedback.update(**dict.fromkeys(TEXTS, "")),
            "exit_links": ExitInvitationToken.objects.filter(invitation__in=invitations).delete()[0],
            "exit_questionnaires_stopped": invitations.filter(status="scheduled").update(status="cancelled"),
            "selection_reflections": SelectionReflection.objects.filter(placement__in=placements).update(
                signals_text=""
            ),
        }

    def recent_activity(self, cutoff):
        return ExitFeedback.objects.filter(placement=OuterRef("pk")).filter(
            Q(updated_at__gte=cutoff) | Q(answered_at__gte=cutoff)
        )
