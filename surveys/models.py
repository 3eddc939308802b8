"""The topic library and survey designs with their frozen, published versions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation

MAX_ONLINE_TOPICS = 10
MAX_LIVE_TOPICS = 5

# The Client NPS question is fixed so scores stay comparable across surveys
# and time; every version stores the wording it was asked with.
NPS_QUESTION = {
    "nl": "Zou u de samenwerking met recruitment aanbevelen aan een collega?",
    "en": "Would you recommend working with recruitment to a colleague?",
}
NPS_SCALE = {
    "nl": ("Zeer onwaarschijnlijk", "Zeer waarschijnlijk"),
    "en": ("Very unlikely", "Very likely"),
}
DEFAULT_SCALE = {
    "nl": ["Zeer slecht", "Slecht", "Voldoende", "Goed", "Uitstekend"],
    "en": ["Very poor", "Poor", "Fair", "Good", "Excellent"],
}


def default_scale_nl():
    return list(DEFAULT_SCALE["nl"])


def default_scale_en():
    return list(DEFAULT_SCALE["en"])


class Dimension(models.TextChoices):
    GEDRAG = "gedrag", _("Behaviour (Gedrag)")
    SERVICE = "service", _("Service")
    RESULTAAT = "resultaat", _("Result (Resultaat)")


class SurveyKind(models.TextChoices):
    ONLINE = "online", _("Online")
    LIVE = "live", _("Live conversation")


class Topic(models.Model):
    """One focused question on a 1-5 scale. Standard topics have no organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="topics"
    )
    dimension = models.CharField(_("dimension"), max_length=20, choices=Dimension.choices)
    name_nl = models.CharField(_("name (Dutch)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80)
    question_nl = models.CharField(_("question (Dutch)"), max_length=300)
    question_en = models.CharField(_("question (English)"), max_length=300)
    scale_nl = models.JSONField(_("scale labels (Dutch)"), default=default_scale_nl)
    scale_en = models.JSONField(_("scale labels (English)"), default=default_scale_en)
    is_archived = models.BooleanField(_("archived"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["dimension", "name_nl"]

    def __str__(self):
        return self.name_nl

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_nl

    def question(self, language: str) -> str:
        return self.question_en if language == "en" else self.question_nl


class Survey(models.Model):
    """A survey design. Its draft is edited; publishing freezes a SurveyVersion."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="surveys")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=SurveyKind.choices, default=SurveyKind.ONLINE)
    intro_nl = models.TextField(_("introduction (Dutch)"), max_length=1000, blank=True)
    intro_en = models.TextField(_("introduction (English)"), max_length=1000, blank=True)
    open_question_nl = models.CharField(_("open question (Dutch)"), max_length=300, blank=True)
    open_question_en = models.CharField(_("open question (English)"), max_length=300, blank=True)
    # Bumped on every change, so a form posted from a stale page is refused.
    revision = models.PositiveIntegerField(default=1)
    has_unpublished_changes = models.BooleanField(default=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def max_topics(self) -> int:
        return MAX_LIVE_TOPICS if self.kind == SurveyKind.LIVE else MAX_ONLINE_TOPICS


class SurveyItem(models.Model):
    """A topic in a survey's draft, at a position."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="items")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="surveyitem_unique_position"),
            models.UniqueConstraint(fields=["survey", "topic"], name="surveyitem_unique_topic"),
            models.CheckConstraint(
                condition=Q(position__gte=1, position__lte=MAX_ONLINE_TOPICS), name="surveyitem_position_range"
            ),
        ]


class SurveyVersion(models.Model):
    """A published, frozen survey: what invitations and responses point at."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=SurveyKind.choices)
    name = models.CharField(max_length=120)
    intro_nl = models.TextField(blank=True)
    intro_en = models.TextField(blank=True)
    open_question_nl = models.CharField(max_length=300, blank=True)
    open_question_en = models.CharField(max_length=300, blank=True)
    nps_question_nl = models.CharField(max_length=300, default=NPS_QUESTION["nl"])
    nps_question_en = models.CharField(max_length=300, default=NPS_QUESTION["en"])
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = _("survey version")
        verbose_name_plural = _("survey versions")
        ordering = ["survey", "-number"]
        constraints = [models.UniqueConstraint(fields=["survey", "number"], name="surveyversion_unique_number")]

    def __str__(self):
        return f"{self.name} v{self.number}"

    def intro(self, language: str) -> str:
        return self.intro_en if language == "en" else self.intro_nl

    def open_question(self, language: str) -> str:
        return self.open_question_en if language == "en" else self.open_question_nl

    def nps_question(self, language: str) -> str:
        return self.nps_question_en if language == "en" else self.nps_question_nl


class SurveyVersionTopic(models.Model):
    """A topic as it was asked in one version: wording and order frozen."""

    version = models.ForeignKey(SurveyVersion, on_delete=models.CASCADE, related_name="topics")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="+")
    # Denormalised so the database itself refuses a 6th topic in a live version.
    kind = models.CharField(max_length=10, choices=SurveyKind.choices)
    position = models.PositiveSmallIntegerField()
    dimension = models.CharField(max_length=20, choices=Dimension.choices)
    name_nl = models.CharField(max_length=80)
    name_en = models.CharField(max_length=80)
    question_nl = models.CharField(max_length=300)
    question_en = models.CharField(max_length=300)
    scale_nl = models.JSONField()
    scale_en = models.JSONField()

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="versiontopic_unique_position"),
            models.UniqueConstraint(fields=["version", "topic"], name="versiontopic_unique_topic"),
            models.CheckConstraint(
                condition=Q(kind=SurveyKind.ONLINE, position__gte=1, position__lte=MAX_ONLINE_TOPICS)
                | Q(kind=SurveyKind.LIVE, position__gte=1, position__lte=MAX_LIVE_TOPICS),
                name="versiontopic_position_within_kind_limit",
            ),
        ]

    def __str__(self):
        return self.name_nl

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_nl

    def question(self, language: str) -> str:
        return self.question_en if language == "en" else self.question_nl

    def scale(self, language: str) -> list[str]:
        return self.scale_en if language == "en" else self.scale_nl


class DefaultSurvey(models.Model):
    """The survey sent for a client's placements; client empty = the organisation's default."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    client = models.OneToOneField(
        "placements.Client", on_delete=models.CASCADE, null=True, blank=True, related_name="default_survey"
    )
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="defaults")

    class Meta:
        verbose_name = _("default survey")
        verbose_name_plural = _("default surveys")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"], condition=Q(client__isnull=True), name="defaultsurvey_one_per_organisation"
            ),
        ]
