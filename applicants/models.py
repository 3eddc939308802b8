"""The experience survey of the candidates an agency introduced, after their final answer: did they get a clear
answer, was the feedback useful, would they recommend the agency (the candidate NPS), and what they want to say.

Scores are reported per touchpoint and only from 5 answers; the words are read by the vacancy's recruiter and
administrators. The candidate's contact data lives on placements.Applicant and is anonymised on its schedule.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from outreach.models import OutboxMessage
from placements.models import Applicant, Client


class Touchpoint(models.TextChoices):
    REJECTED_INTRODUCTION = "rejected_introduction", _("Rejected after introduction")
    REJECTED_INTERVIEW = "rejected_interview", _("Rejected after interview")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    HIRED = "hired", _("Hired")


class CandidateSurvey(OutboxMessage):
    """The personal link to the experience survey, sent once after the final answer."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    applicant = models.OneToOneField(Applicant, on_delete=models.CASCADE, related_name="survey")
    recruiter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    touchpoint = models.CharField(_("touchpoint"), max_length=24, choices=Touchpoint.choices)
    # A keyed hash of the address: nobody gets the survey twice within six months, nor after opting out, even
    # when the same person is introduced for several vacancies. Cleared after six months unless opted out.
    email_digest = models.CharField(max_length=64, blank=True)
    opted_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("candidate experience survey")
        verbose_name_plural = _("candidate experience surveys")
        constraints = [
            models.CheckConstraint(condition=Q(reminders_sent__lte=1), name="candidatesurvey_at_most_one_reminder"),
            models.CheckConstraint(condition=~Q(status="sent") | Q(sent_at__isnull=False), name="candidatesurvey_sent"),
        ]
        indexes = [
            models.Index(fields=["status", "send_after"], name="candidatesurvey_due"),
            models.Index(fields=["organisation", "email_digest"], name="candidatesurvey_digest"),
        ]

    def __str__(self):
        return f"Candidate survey {self.pk}"


class CandidateSurveyToken(models.Model):
    survey = models.ForeignKey(CandidateSurvey, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)


class CandidateFeedback(models.Model):
    """One candidate's answers; the keys (recruiter, client, touchpoint, date) are copied for reporting."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    survey = models.OneToOneField(CandidateSurvey, on_delete=models.CASCADE, related_name="feedback")
    recruiter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")
    touchpoint = models.CharField(_("touchpoint"), max_length=24, choices=Touchpoint.choices)
    clear_answer = models.BooleanField(_("Got a clear final answer"), null=True, blank=True)
    feedback_useful = models.PositiveSmallIntegerField(
        _("The feedback was useful"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    nps = models.PositiveSmallIntegerField(
        _("Would recommend the agency"), null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    comment = models.TextField(_("comment"), blank=True, max_length=3000)
    answered_on = models.DateField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("candidate experience")
        verbose_name_plural = _("candidate experiences")
        constraints = [
            models.CheckConstraint(condition=Q(nps__isnull=True) | Q(nps__lte=10), name="candidatefeedback_nps"),
            models.CheckConstraint(
                condition=Q(feedback_useful__isnull=True) | Q(feedback_useful__gte=1, feedback_useful__lte=5),
                name="candidatefeedback_useful",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "answered_on"], name="candidatefeedback_org_day")]

    def __str__(self):
        return f"Candidate feedback {self.pk}"
