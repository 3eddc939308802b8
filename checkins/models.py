"""Check-ins with the placed candidate until the probation ends (outbox rows with the answers on them), and the
follow-up calls they open. Confidential by design: only the candidate's recruiter and administrators read
individual answers; nothing of it goes to the client."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from outreach.models import OutboxMessage
from placements.models import Placement


class Stage(models.TextChoices):
    FIRST_WEEK = "first_week", _("First week")
    HALFWAY = "halfway", _("Halfway through probation")
    BEFORE_END = "before_end", _("Before probation ends")


# The four expectation checks from the intake, in the order the page asks them.
EXPECTATIONS = ("exp_role", "exp_workload", "exp_team", "exp_manager")


def _score(verbose, low, high):
    return models.PositiveSmallIntegerField(
        verbose, null=True, blank=True, validators=[MinValueValidator(low), MaxValueValidator(high)]
    )


class CheckIn(OutboxMessage):
    """One check-in email to the candidate of a placement, at one stage; its answers once given."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="checkins", db_index=False)
    recruiter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(_("check-in"), max_length=12, choices=Stage.choices)
    planned_on = models.DateField(_("planned on"))
    how_going = _score(_("How is it going?"), 1, 5)
    exp_role = _score(_("The role as described"), 1, 5)
    exp_workload = _score(_("The workload"), 1, 5)
    exp_team = _score(_("The team"), 1, 5)
    exp_manager = _score(_("The manager"), 1, 5)
    candidate_nps = _score(_("Candidate NPS"), 0, 10)
    message = models.TextField(_("For the recruiter"), blank=True, max_length=5000)
    call_requested = models.BooleanField(_("Call me"), default=False)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            models.UniqueConstraint(fields=["placement", "stage"], name="checkin_once_per_stage"),
            models.CheckConstraint(condition=Q(reminders_sent__lte=1), name="checkin_at_most_one_reminder"),
            models.CheckConstraint(condition=~Q(status="sent") | Q(sent_at__isnull=False), name="checkin_sent_at"),
            models.CheckConstraint(
                condition=Q(how_going__isnull=True) | Q(how_going__gte=1, how_going__lte=5), name="checkin_how_range"
            ),
            models.CheckConstraint(
                condition=Q(candidate_nps__isnull=True) | Q(candidate_nps__lte=10), name="checkin_nps_range"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "send_after"], name="checkin_due"),
            models.Index(fields=["recruiter", "sent_at"], name="checkin_recruiter_sent"),
        ]

    def __str__(self):
        return f"Check-in {self.pk}"

    @property
    def expectations(self) -> dict[str, int | None]:
        return {name: getattr(self, name) for name in EXPECTATIONS}


class CheckInToken(models.Model):
    """The hash of a token sent in one check-in email."""

    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)


class CandidateFollowUp(models.Model):
    """An early warning: a call with the candidate before the probation ends."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        NOT_REACHED = "not_reached", _("Not reached")
        NOT_NEEDED = "not_needed", _("Not needed")

    class Consent(models.TextChoices):
        NOT_ASKED = "not_asked", _("Not asked yet")
        YES = "yes", _("Yes: the client may be told what is written below")
        NO = "no", _("No: nothing goes to the client")

    OPEN_STATUSES = (Status.OPEN,)

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="candidate_followups")
    checkin = models.OneToOneField(CheckIn, on_delete=models.CASCADE, related_name="followup")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    low_how_going = models.BooleanField(default=False)
    low_expectations = models.JSONField(default=list, blank=True)  # names from EXPECTATIONS
    call_requested = models.BooleanField(default=False)
    no_answer = models.BooleanField(default=False)
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    situation = models.TextField(_("What is going on?"), blank=True, max_length=5000)
    what_would_help = models.TextField(_("What would help?"), blank=True, max_length=5000)
    consent = models.CharField(
        _("May the client be told?"), max_length=10, choices=Consent.choices, default=Consent.NOT_ASKED
    )
    client_may_know = models.TextField(_("What the client may be told"), blank=True, max_length=2000)
    consent_recorded_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("candidate follow-up")
        verbose_name_plural = _("candidate follow-ups")
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["owner", "status", "due_date"], name="candidatefollowup_owner")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(consent="yes") | Q(consent_recorded_at__isnull=False), name="candidatefollowup_consent_at"
            )
        ]

    def __str__(self):
        return f"Candidate follow-up {self.pk}"

    @property
    def reasons(self) -> list[str]:
        return [
            reason
            for reason, on in (
                ("low_how_going", self.low_how_going),
                ("low_expectations", bool(self.low_expectations)),
                ("call_requested", self.call_requested),
                ("no_answer", self.no_answer),
            )
            if on
        ]
