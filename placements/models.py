"""Clients, their hiring managers (contacts), placements, vacancies with the candidates introduced for them, and ATS
integrations."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from placements.probation import ContractType, EndedBy, LeaveReason, Outcome


class Language(models.TextChoices):
    NL = "nl", _("Dutch")
    EN = "en", _("English")


class Client(models.Model):
    """A company that hires through the agency."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="clients")
    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="client_unique_name_per_org",
                violation_error_message=_("A client with this name already exists."),
            )
        ]

    def __str__(self):
        return self.name


class Contact(models.Model):
    """A hiring manager at a client. Gets the survey; has no account."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="contacts")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="contacts", verbose_name=_("client"))
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email address"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.NL)
    opted_out_at = models.DateTimeField(_("opted out at"), null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hiring manager")
        verbose_name_plural = _("hiring managers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                name="contact_unique_email_per_org",
                violation_error_message=_("A hiring manager with this email address already exists."),
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    @property
    def opted_out(self) -> bool:
        return self.opted_out_at is not None


class Integration(models.Model):
    """A system that talks to the API: an ATS writes placements (they carry its external ids); a BI tool only
    reads the organisation's responses, follow-ups and summaries. Its keys can do what it does, nothing else."""

    class Access(models.TextChoices):
        WRITE = "write", _("Writes placements (an ATS)")
        READ = "read", _("Reads responses and summaries (a BI tool)")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="integrations")
    name = models.CharField(_("name"), max_length=100)
    access = models.CharField(_("access"), max_length=5, choices=Access.choices, default=Access.WRITE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("integration")
        verbose_name_plural = _("integrations")
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="integration_unique_name")]

    def __str__(self):
        return self.name


class ApiKey(models.Model):
    """A bearer key of one integration. Only a hash is stored; the key is shown once."""

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="keys")
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self):
        return f"{self.integration} ({self.prefix}…)"


class Placement(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="placements")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="placements", verbose_name=_("client"))
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, related_name="placements", verbose_name=_("hiring manager")
    )
    recruiter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="placements", verbose_name=_("recruiter")
    )
    candidate_name = models.CharField(_("candidate"), max_length=200)
    job_title = models.CharField(_("job title"), max_length=200)
    # The group of similar roles the exit patterns are counted in ("Finance", "Logistiek"); free text, as each
    # agency groups its own field.
    job_family = models.CharField(_("job family"), max_length=100, blank=True)
    start_date = models.DateField(_("start date"))
    # The facts beside the client's opinions (the mirror): when the search started, how many candidates were
    # introduced, and how many days (the median) the client took to give feedback on a candidate, from the ATS.
    search_started_on = models.DateField(_("search started on"), null=True, blank=True)
    candidates_introduced = models.PositiveSmallIntegerField(
        _("candidates introduced"), null=True, blank=True, validators=[MaxValueValidator(1000)]
    )
    client_feedback_days = models.PositiveSmallIntegerField(
        _("days the client took to give feedback (median)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(365)],
    )
    # The candidate: personal data (privacy: export, erasure, retention). Check-ins go to this address.
    candidate_email = models.EmailField(_("candidate's email address"), blank=True)
    candidate_phone = models.CharField(_("candidate's phone"), max_length=40, blank=True)
    candidate_language = models.CharField(
        _("candidate's language"), max_length=2, choices=Language.choices, default=Language.NL
    )
    candidate_opted_out_at = models.DateTimeField(_("candidate opted out at"), null=True, blank=True)
    contract_type = models.CharField(_("contract"), max_length=16, choices=ContractType.choices, blank=True)
    contract_months = models.PositiveSmallIntegerField(
        _("contract length (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("For a fixed-term contract with an end date."),
    )
    probation_end_date = models.DateField(_("end of probation"), null=True, blank=True)
    # False: the legal maximum of the contract (placements.probation), moved along with the start date.
    probation_end_agreed = models.BooleanField(default=False)
    probation_outcome = models.CharField(_("outcome of probation"), max_length=10, choices=Outcome.choices, blank=True)
    left_on = models.DateField(_("last working day"), null=True, blank=True)
    # The departure: left_on, who ended it and why. One fact with the probation outcome: a departure on or before
    # the end of probation is "left" there, a later one "stayed" (placements.services.placement_record_outcome).
    ended_by = models.CharField(_("ended by"), max_length=10, choices=EndedBy.choices, blank=True)
    leave_reason = models.CharField(_("reason for leaving"), max_length=12, choices=LeaveReason.choices, blank=True)
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    outcome_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When the recruiter was asked for the outcome, the day after the probation ended without one.
    outcome_asked_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    integration = models.ForeignKey(Integration, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    external_id = models.CharField(_("external id"), max_length=100, blank=True)
    # The vacancy this placement filled (same client): days to fill count from its opening.
    vacancy = models.ForeignKey(
        "Vacancy",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="placements",
        verbose_name=_("vacancy"),
    )
    anonymised_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["integration", "external_id"],
                condition=~Q(external_id=""),
                name="placement_unique_external_id_per_integration",
            ),
            models.CheckConstraint(
                condition=Q(probation_end_date__isnull=True) | Q(probation_end_date__gte=models.F("start_date")),
                name="placement_probation_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False), name="placement_closed_has_closed_at"
            ),
            models.CheckConstraint(
                condition=Q(contract_months__isnull=True) | Q(contract_type="fixed_term"),
                name="placement_length_only_for_fixed_term",
            ),
            models.CheckConstraint(
                condition=~Q(probation_outcome="left") | Q(left_on__isnull=False), name="placement_left_has_date"
            ),
            models.CheckConstraint(
                condition=Q(search_started_on__isnull=True) | Q(search_started_on__lte=models.F("start_date")),
                name="placement_search_before_start",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "recruiter", "status"])]

    def __str__(self):
        return f"{self.candidate_name} – {self.job_title}"

    @property
    def search_start(self) -> "datetime.date | None":
        """When the search began: the vacancy's opening where the placement has one, else the date given."""
        return self.vacancy.opened_on if self.vacancy_id else self.search_started_on

    @property
    def days_to_fill(self) -> int | None:
        start = self.search_start
        return (self.start_date - start).days if start and start <= self.start_date else None

    @property
    def left_in_probation(self) -> bool | None:
        """Whether the departure fell in the probation period; None when the candidate has not left."""
        if not self.left_on:
            return None
        return bool(self.probation_end_date and self.left_on <= self.probation_end_date)


class PlacementImport(models.Model):
    """An uploaded CSV/XLSX file between preview and confirmation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=200)
    content = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    imported_rows = models.PositiveIntegerField(default=0)


class Stage(models.TextChoices):
    """Where an introduced candidate is in the procedure. The last three are final answers."""

    INTRODUCED = "introduced", _("Introduced")
    INTERVIEWED = "interviewed", _("Interviewed")
    OFFERED = "offered", _("Offered")
    HIRED = "hired", _("Hired")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


FINAL_STAGES = (Stage.HIRED, Stage.REJECTED, Stage.WITHDRAWN)


class Vacancy(models.Model):
    """A search for a client, with the candidates the agency introduced for it (Applicant). The counts of
    introduced and answered candidates are kept by placements.applicants, so the closure views add up vacancies,
    not candidates."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        FILLED = "filled", _("Filled")
        CANCELLED = "cancelled", _("Cancelled")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="vacancies")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="vacancies", verbose_name=_("client"))
    recruiter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="vacancies", verbose_name=_("recruiter")
    )
    title = models.CharField(_("job title"), max_length=200)
    opened_on = models.DateField(_("opened on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    integration = models.ForeignKey(Integration, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    external_id = models.CharField(_("external id"), max_length=100, blank=True)
    introduced = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["integration", "external_id"],
                condition=~Q(external_id=""),
                name="vacancy_unique_external_id_per_integration",
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(closed_on__isnull=False), name="vacancy_closed_has_date"
            ),
            models.CheckConstraint(condition=Q(answered__lte=models.F("introduced")), name="vacancy_answered_le"),
        ]
        indexes = [
            models.Index(fields=["organisation", "opened_on"], name="vacancy_org_opened"),
            models.Index(fields=["organisation", "recruiter", "opened_on"], name="vacancy_org_recruiter"),
            models.Index(fields=["organisation", "client", "opened_on"], name="vacancy_org_client"),
        ]

    def __str__(self):
        return f"{self.title} ({self.client})"

    @property
    def closure_rate(self) -> int | None:
        return round(100 * self.answered / self.introduced) if self.introduced else None


class Applicant(models.Model):
    """A candidate introduced for a vacancy. Only what the closure rate and the experience survey need: name,
    address, language, stage and dates; never a CV or notes. Contact data is anonymised four weeks after the
    final answer, or when the agreed time on file ends (at most a year); the stage and dates stay."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="applicants")
    external_id = models.CharField(_("external id"), max_length=100)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.NL)
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.INTRODUCED)
    introduced_on = models.DateField(_("introduced on"))
    stage_on = models.DateField(_("stage since"))
    # Whether the procedure reached an interview: a rejection after it is another touchpoint than one before.
    interviewed = models.BooleanField(default=False)
    told_on = models.DateField(_("told the outcome on"), null=True, blank=True)
    kept_on_file_until = models.DateField(_("kept on file until"), null=True, blank=True)
    loop_alerted_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("introduced candidate")
        verbose_name_plural = _("introduced candidates")
        ordering = ["introduced_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "external_id"], name="applicant_unique_per_vacancy"),
            models.CheckConstraint(
                condition=Q(told_on__isnull=True) | Q(told_on__gte=models.F("introduced_on")),
                name="applicant_told_after_introduction",
            ),
            models.CheckConstraint(
                condition=Q(stage_on__gte=models.F("introduced_on")), name="applicant_stage_after_introduction"
            ),
            models.CheckConstraint(
                condition=Q(told_on__isnull=True) | Q(stage__in=[s.value for s in FINAL_STAGES]),
                name="applicant_told_only_final",
            ),
        ]
        indexes = [
            # The open loops: the few candidates without an answer, by vacancy.
            models.Index(fields=["vacancy", "stage_on"], condition=Q(told_on__isnull=True), name="applicant_waiting"),
            models.Index(fields=["organisation", "email"], name="applicant_org_email"),
            models.Index(
                fields=["organisation", "told_on"], condition=Q(anonymised_at__isnull=True), name="applicant_to_forget"
            ),
        ]

    def __str__(self):
        return self.name or f"#{self.pk}"
