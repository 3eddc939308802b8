"""Invitations (the outbox), responses with their answers, and follow-ups."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from outreach.models import OutboxMessage
from placements.models import Client, Contact, Placement
from surveys.models import SurveyVersion, SurveyVersionTopic, Topic


class Invitation(OutboxMessage):
    """One survey email to a hiring manager, about one or more placements (an outreach outbox row)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    # No single-column index where a composite index below starts with the column.
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="invitations", db_index=False)
    recruiter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="invitations", db_index=False
    )
    survey_version = models.ForeignKey(SurveyVersion, on_delete=models.PROTECT, related_name="invitations")

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [
            models.Index(fields=["status", "send_after"]),
            models.Index(fields=["contact", "status"]),
            models.Index(fields=["recruiter", "sent_at"], name="invitation_recruiter_sent"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(reminders_sent__lte=2), name="invitation_at_most_two_reminders"),
            models.CheckConstraint(condition=~Q(status="sent") | Q(sent_at__isnull=False), name="invitation_sent_at"),
        ]

    def __str__(self):
        return f"Invitation {self.pk}"


class InvitationToken(models.Model):
    """The hash of a token sent in one email. Each email gets a fresh token."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)


class InvitationPlacement(models.Model):
    """Which invitation asks about a placement; unique per placement.

    A placement closed inside the quiet period joins the unsent invitation or,
    when the email already went, is recorded as skipped with the reason.
    """

    placement = models.OneToOneField(Placement, on_delete=models.CASCADE, related_name="invitation_link")
    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, null=True, related_name="links")
    skipped_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("placement of an invitation")
        verbose_name_plural = _("placements of invitations")


class Response(models.Model):
    """A hiring manager's answers to one survey version, online or by phone."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        PHONE = "phone", _("Phone")

    # No single-column index where a composite index below starts with the column: each index is
    # written on every answer.
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+", db_index=False)
    invitation = models.OneToOneField(
        Invitation, on_delete=models.PROTECT, null=True, blank=True, related_name="response"
    )
    survey_version = models.ForeignKey(SurveyVersion, on_delete=models.PROTECT, related_name="responses")
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    recruiter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="responses", db_index=False
    )
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="responses", db_index=False)
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="responses")
    nps_score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    comment = models.TextField(blank=True, max_length=5000)
    completed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # The local day of completion: what the dashboards group by.
    completed_on = models.DateField(null=True, blank=True)
    call_requested_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.CheckConstraint(
                condition=Q(nps_score__gte=0, nps_score__lte=10) | Q(nps_score__isnull=True), name="response_nps_range"
            ),
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True) | Q(nps_score__isnull=False) | Q(channel="phone"),
                name="response_completed_online_has_nps",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "completed_at"]),
            # The raw rows of one client (the dashboard's client filter) and of one recruiter's day (summary refresh).
            models.Index(fields=["client", "completed_on"], name="response_client_day"),
            models.Index(fields=["recruiter", "completed_on"], name="response_recruiter_day"),
        ]

    def __str__(self):
        return f"Response {self.pk}"


class Answer(models.Model):
    # answer_unique_per_topic starts with the response: it is the index for this key too.
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers", db_index=False)
    version_topic = models.ForeignKey(SurveyVersionTopic, on_delete=models.PROTECT, related_name="answers")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="answers")
    score = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "version_topic"], name="answer_unique_per_topic"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="answer_score_range"),
        ]


class FollowUp(models.Model):
    """A live evaluation call opened by a low score or a request to be called."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        NOT_REACHED = "not_reached", _("Not reached")
        NOT_NEEDED = "not_needed", _("Not needed")

    class ClientNeed(models.TextChoices):
        FASTER_FEEDBACK = "faster_feedback", _("Faster feedback")
        REACHABILITY = "reachability", _("Better reachability")
        CLEARER_BRIEFING = "clearer_briefing", _("A clearer briefing")
        OTHER = "other", _("Other")

    OPEN_STATUSES = (Status.OPEN, Status.PLANNED)

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="followup")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="followups", verbose_name=_("owner")
    )
    low_nps = models.BooleanField(default=False)
    low_topics = models.BooleanField(default=False)
    call_requested = models.BooleanField(default=False)
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    planned_at = models.DateTimeField(_("call planned at"), null=True, blank=True)
    went_well = models.TextField(_("What went well?"), blank=True, max_length=5000)
    could_be_better = models.TextField(_("What could have been better?"), blank=True, max_length=5000)
    expectations = models.TextField(_("What do you expect next time?"), blank=True, max_length=5000)
    client_needs = models.JSONField(_("What I needed from the client"), default=list, blank=True)
    client_needs_note = models.CharField(_("Note on what I needed"), max_length=500, blank=True)
    outcome = models.TextField(_("outcome"), blank=True, max_length=5000)
    live_response = models.OneToOneField(
        Response, null=True, blank=True, on_delete=models.SET_NULL, related_name="live_for"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closing_note = models.TextField(blank=True, max_length=2000)
    closing_email_sent_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    last_overdue_reminder_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["organisation", "owner", "status", "due_date"]),
            # The open ones are few; the dashboards count them on every view.
            models.Index(
                fields=["organisation", "due_date"], condition=Q(status__in=["open", "planned"]), name="followup_open"
            ),
        ]

    def __str__(self):
        return f"Follow-up {self.pk}"


class SummaryGrain(models.TextChoices):
    DAY = "day"
    MONTH = "month"


class NpsSummary(models.Model):
    """Completed responses, sent invitations and closed follow-ups per period x recruiter x client x
    survey version x channel: what the dashboards read instead of the raw rows.

    Rows come at two grains, a day and a calendar month, so a period reads its
    whole months from the monthly rows and only the days at its edges from the
    daily rows. And at two levels: per client, and with `client` empty for all
    clients together, so views that do not look at clients read a few thousand
    rows, not one per response. Invitations count on the day they were sent
    (channel online), follow-ups on the day their response was completed.

    `reporting.summaries` recomputes a bucket from the raw rows whenever one
    of them changes and rebuilds everything on `manage.py rebuild_summaries`.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    grain = models.CharField(max_length=5, choices=SummaryGrain.choices)
    period = models.DateField()  # the day, or the first of the month
    month = models.DateField()  # the first of the month, stored so grouping by month needs no date function
    recruiter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(Client, null=True, on_delete=models.CASCADE, related_name="+")
    survey_version = models.ForeignKey(SurveyVersion, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=10)
    # Responses with an NPS score (a phone call may have topic scores only).
    responses = models.PositiveIntegerField(default=0)
    promoters = models.PositiveIntegerField(default=0)
    passives = models.PositiveIntegerField(default=0)
    detractors = models.PositiveIntegerField(default=0)
    gedrag_answers = models.PositiveIntegerField(default=0)
    gedrag_sum = models.PositiveIntegerField(default=0)
    service_answers = models.PositiveIntegerField(default=0)
    service_sum = models.PositiveIntegerField(default=0)
    resultaat_answers = models.PositiveIntegerField(default=0)
    resultaat_sum = models.PositiveIntegerField(default=0)
    sent = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    followups_on_time = models.PositiveIntegerField(default=0)
    followups_late = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "grain", "period", "recruiter", "client", "survey_version", "channel"],
                condition=Q(client__isnull=False),
                name="npssummary_unique_per_client",
            ),
            models.UniqueConstraint(
                fields=["organisation", "grain", "period", "recruiter", "survey_version", "channel"],
                condition=Q(client__isnull=True),
                name="npssummary_unique_all_clients",
            ),
        ]
        indexes = [
            models.Index(fields=["recruiter", "grain", "period"], name="npssummary_recruiter"),
            models.Index(fields=["client", "grain", "period"], name="npssummary_client"),
        ]


class TopicSummary(models.Model):
    """Topic scores per period x recruiter x survey version x channel x topic, at the same two grains,
    with the sums that give averages and the correlation with the NPS score (for the driver view).

    There is no per-client level: a view of one client reads that client's raw answers."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    grain = models.CharField(max_length=5, choices=SummaryGrain.choices)
    period = models.DateField()
    month = models.DateField()
    recruiter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    survey_version = models.ForeignKey(SurveyVersion, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=10)
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    dimension = models.CharField(max_length=20)
    answers = models.PositiveIntegerField(default=0)
    score_sum = models.PositiveIntegerField(default=0)
    # For correlation with NPS, over the answers whose response has an NPS score.
    paired = models.PositiveIntegerField(default=0)
    paired_score_sum = models.PositiveIntegerField(default=0)
    paired_score_sq_sum = models.PositiveIntegerField(default=0)
    nps_sum = models.PositiveIntegerField(default=0)
    nps_sq_sum = models.PositiveIntegerField(default=0)
    score_nps_sum = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "grain", "period", "recruiter", "survey_version", "channel", "topic"],
                name="topicsummary_unique_bucket",
            ),
        ]
        indexes = [models.Index(fields=["recruiter", "grain", "period"], name="topicsummary_recruiter")]


class DigestSent(models.Model):
    """One weekly digest per team lead per week; the insert is the claim."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "week"], name="digest_once_per_week")]


class PrivacyRecord(models.Model):
    """The audit trail of exports, erasures and retention runs of personal data (AVG/GDPR).

    It names the person only by a hash of their email address: a record of an
    erasure must not keep what was erased.
    """

    class Action(models.TextChoices):
        EXPORT = "export", _("Export")
        ERASURE = "erasure", _("Erasure")
        RETENTION = "retention", _("Retention")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    subject_hash = models.CharField(_("email address (SHA-256)"), max_length=64, blank=True)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    counts = models.JSONField(_("records"), default=dict)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("privacy record")
        verbose_name_plural = _("privacy records")
        ordering = ["-created_at"]


def _rating(verbose):
    return models.PositiveSmallIntegerField(verbose, validators=[MinValueValidator(1), MaxValueValidator(5)])


class ClientRating(models.Model):
    """The recruiter's view of the client for one closed placement: the other half of the evaluation.

    Double-blind: neither this nor the client's answers about the placement show in the mirror until both are
    in or BLIND_DAYS have passed since the placement closed (reporting.mirror)."""

    BLIND_DAYS = 14
    FIELDS = ("briefing", "feedback_speed", "reachability", "decision_speed")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    placement = models.OneToOneField(Placement, on_delete=models.CASCADE, related_name="client_rating")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="ratings")
    recruiter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    briefing = _rating(_("Clarity of the briefing"))
    feedback_speed = _rating(_("Speed of feedback on candidates"))
    reachability = _rating(_("Reachability"))
    decision_speed = _rating(_("Speed of decisions"))
    client_needs = models.JSONField(_("What I needed from the client"), default=list, blank=True)
    client_needs_note = models.CharField(_("Note on what I needed"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rating of the client")
        verbose_name_plural = _("ratings of clients")
        indexes = [models.Index(fields=["client", "created_at"], name="clientrating_client")]
        constraints = [
            models.CheckConstraint(condition=Q(**{f"{f}__gte": 1, f"{f}__lte": 5}), name=f"clientrating_{f}_range")
            for f in ("briefing", "feedback_speed", "reachability", "decision_speed")
        ]

    def __str__(self):
        return f"Rating {self.pk}"


class Commitment(models.Model):
    """What one side agreed to do better next time, from an evaluation: the client's "what do you expect next
    time?" (the agency owns it) or the recruiter's "what I needed" (the client owns it). Shown at the next
    placement for the client until marked, or until two further placements closed."""

    EXPIRES_AFTER_PLACEMENTS = 2

    class Owner(models.TextChoices):
        CLIENT = "client", _("The client")
        AGENCY = "agency", _("The agency")

    class Source(models.TextChoices):
        EXPECTATION = "expectation", _("What the client expects next time")
        NEED = "need", _("What the recruiter needed (follow-up call)")
        RATING = "rating", _("What the recruiter needed (rating of the client)")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        KEPT = "kept", _("Kept")
        NOT_KEPT = "not_kept", _("Not kept")
        NOT_RELEVANT = "not_relevant", _("No longer relevant")
        EXPIRED = "expired", _("Expired")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="commitments")
    owner = models.CharField(_("owner"), max_length=6, choices=Owner.choices)
    source = models.CharField(max_length=12, choices=Source.choices)
    needs = models.JSONField(default=list, blank=True)  # FollowUp.ClientNeed values
    text = models.TextField(_("text"), blank=True, max_length=5000)
    followup = models.ForeignKey(FollowUp, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    rating = models.ForeignKey(ClientRating, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    recruiter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    placements_since = models.PositiveSmallIntegerField(default=0)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["client", "status"], name="commitment_client_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["followup", "source"], condition=Q(followup__isnull=False), name="commitment_once_per_call"
            ),
            models.UniqueConstraint(
                fields=["rating"], condition=Q(rating__isnull=False), name="commitment_once_per_rating"
            ),
        ]

    def __str__(self):
        return f"Commitment {self.pk}"

    @property
    def need_labels(self) -> list[str]:
        labels = dict(FollowUp.ClientNeed.choices)
        return [str(labels.get(n, n)) for n in self.needs]
