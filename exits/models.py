"""Departures' exit feedback: the leaver's answers (by a personal link, or entered by the recruiter from the exit
conversation), the patterns they form once enough leavers share a theme, and what recruitment changed.

Individual records and free text are read only by the placement's recruiter and administrators; everyone else
sees patterns (exits.patterns), and only above the organisation's threshold.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from evalportal import quarters
from exits.themes import QUESTIONS, ChangeKind, Theme
from outreach.models import OutboxMessage
from placements.models import Client, Placement


class Source(models.TextChoices):
    LINK = "link", _("The leaver answered through a personal link")
    CONVERSATION = "conversation", _("The recruiter took part in the exit conversation")
    HR_CATCH_UP = "hr_catch_up", _("The recruiter's catch-up with HR after the exit conversation")


def _score(verbose, low, high):
    return models.PositiveSmallIntegerField(
        verbose, null=True, blank=True, validators=[MinValueValidator(low), MaxValueValidator(high)]
    )


# A quarter as one number, 20263 for the third quarter of 2026: periods are quarters, never dates.
quarter_of = quarters.quarter_of


class ExitInvitation(OutboxMessage):
    """The personal link to the exit questionnaire, sent to the leaver at the recruiter's request."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    placement = models.OneToOneField(Placement, on_delete=models.CASCADE, related_name="exit_invitation")
    recruiter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("exit questionnaire link")
        verbose_name_plural = _("exit questionnaire links")
        constraints = [
            models.CheckConstraint(condition=Q(reminders_sent__lte=1), name="exitinvitation_at_most_one_reminder"),
            models.CheckConstraint(condition=~Q(status="sent") | Q(sent_at__isnull=False), name="exitinvitation_sent"),
        ]
        indexes = [models.Index(fields=["status", "send_after"], name="exitinvitation_due")]

    def __str__(self):
        return f"Exit questionnaire {self.pk}"


class ExitInvitationToken(models.Model):
    invitation = models.ForeignKey(ExitInvitation, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)


class ExitFeedback(models.Model):
    """The answers about one departure, and the recruiter's reflection on the selection."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    placement = models.OneToOneField(Placement, on_delete=models.CASCADE, related_name="exit_feedback")
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The pattern keys, copied from the placement when the answers are stored (and when it changes).
    quarter = models.PositiveIntegerField(_("quarter"))
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")
    recruiter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    job_family = models.CharField(max_length=100, blank=True)  # casefolded: one group however it is typed
    vacancy_score = _score(_("The vacancy text and reality"), 1, 5)
    process_score = _score(_("What was known during the application"), 1, 5)
    skills_score = _score(_("The skills that mattered"), 1, 5)
    workload_score = _score(_("The workload and pace"), 1, 5)
    team_score = _score(_("The team"), 1, 5)
    development_score = _score(_("The development opportunities"), 1, 5)
    themes = models.JSONField(default=list, blank=True)  # Theme codes; also as ExitTheme rows for counting
    vacancy_text = models.TextField(blank=True, max_length=3000)
    process_text = models.TextField(blank=True, max_length=3000)
    skills_text = models.TextField(blank=True, max_length=3000)
    workload_text = models.TextField(blank=True, max_length=3000)
    team_text = models.TextField(blank=True, max_length=3000)
    development_text = models.TextField(blank=True, max_length=3000)
    employer_nps = _score(_("Would recommend the employer"), 0, 10)
    answered_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("exit feedback")
        verbose_name_plural = _("exit feedback")
        indexes = [models.Index(fields=["organisation", "quarter"], name="exitfeedback_org_quarter")]
        constraints = [
            models.CheckConstraint(
                condition=Q(employer_nps__isnull=True) | Q(employer_nps__lte=10), name="exitfeedback_nps_range"
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{q}_score__isnull": True}) | Q(**{f"{q}_score__gte": 1, f"{q}_score__lte": 5}),
                    name=f"exitfeedback_{q}_range",
                )
                for q in QUESTIONS
            ),
        ]

    def __str__(self):
        return f"Exit feedback {self.pk}"


class SelectionReflection(models.Model):
    """The recruiter's own look back at a placement that ended: could the selection have shown this coming?
    Seen by the recruiter and their team lead, for learning; it needs no exit feedback."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    placement = models.OneToOneField(Placement, on_delete=models.CASCADE, related_name="selection_reflection")
    signals_seen = models.BooleanField(_("Were there signals during the selection that could have shown this coming?"))
    signals_text = models.TextField(_("Which signals, and what you would do differently"), blank=True, max_length=3000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reflection on the selection")
        verbose_name_plural = _("reflections on the selection")


class ExitTheme(models.Model):
    """One theme one leaver named: the unit the patterns count."""

    feedback = models.ForeignKey(ExitFeedback, on_delete=models.CASCADE, related_name="theme_rows")
    theme = models.CharField(max_length=24, choices=Theme.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["feedback", "theme"], name="exittheme_once")]


class PatternCell(models.Model):
    """A count that may be shown: a theme (or the leavers, or the employer NPS) of one group in one quarter,
    kept only when it passes the threshold in every view (exits.patterns). Rebuilt per organisation and
    quarter when feedback changes; the pattern pages read only these rows."""

    LEAVERS = "_leavers"
    NPS = "_nps"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    quarter = models.PositiveIntegerField()
    dimension = models.CharField(max_length=12)  # agency, client, job_family, recruiter
    key = models.CharField(max_length=100)  # the client's or recruiter's id, the job family; "" for the agency
    theme = models.CharField(max_length=24)  # a Theme code, LEAVERS or NPS
    count = models.PositiveIntegerField()
    promoters = models.PositiveIntegerField(default=0)
    detractors = models.PositiveIntegerField(default=0)
    threshold = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [models.Index(fields=["organisation", "dimension", "quarter"], name="patterncell_lookup")]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "quarter", "dimension", "key", "theme"], name="cell_once")
        ]


class RecruitmentChange(models.Model):
    """What recruitment changed for a client because of a theme its leavers share."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="recruitment_changes")
    theme = models.CharField(_("theme"), max_length=24, choices=Theme.choices)
    kind = models.CharField(_("what changed"), max_length=12, choices=ChangeKind.choices)
    description = models.TextField(_("description"), max_length=2000)
    quarter = models.PositiveIntegerField(_("quarter"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("recruitment change")
        verbose_name_plural = _("recruitment changes")
        ordering = ["quarter", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.theme})"
