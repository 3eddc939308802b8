"""Organisations (agencies), their users with a role, and teams."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """An agency. It owns teams, clients, topics, surveys and these settings."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    invitation_delay_days = models.PositiveSmallIntegerField(
        _("invitation delay (days)"),
        default=2,
        validators=[MaxValueValidator(60)],
        help_text=_("Days between closing a placement and sending the survey; 0 sends right away."),
    )
    quiet_period_days = models.PositiveSmallIntegerField(
        _("quiet period (days)"),
        default=30,
        validators=[MaxValueValidator(365)],
        help_text=_("A hiring manager gets at most one survey email in this many days."),
    )
    reminder_after_days = models.PositiveSmallIntegerField(
        _("reminder after (days)"), default=6, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    max_reminders = models.PositiveSmallIntegerField(
        _("maximum reminders"), default=1, validators=[MaxValueValidator(2)]
    )
    expiry_days = models.PositiveSmallIntegerField(
        _("expiry (days after sending)"), default=30, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    low_nps_threshold = models.PositiveSmallIntegerField(
        _("low NPS threshold"),
        default=6,
        validators=[MaxValueValidator(10)],
        help_text=_("An NPS score at or below this opens a follow-up."),
    )
    low_topic_threshold = models.PositiveSmallIntegerField(
        _("low topic threshold"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("A topic score at or below this opens a follow-up."),
    )
    followup_due_working_days = models.PositiveSmallIntegerField(
        _("follow-up due (working days)"), default=5, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )

    class Tone(models.TextChoices):
        INFORMAL = "informal", _("Informal (je)")
        FORMAL = "formal", _("Formal (u)")

    candidate_tone = models.CharField(
        _("tone towards candidates"),
        max_length=8,
        choices=Tone.choices,
        default=Tone.INFORMAL,
        help_text=_("How check-ins address candidates in Dutch. Clients are always addressed formally."),
    )
    checkin_first_working_days = models.PositiveSmallIntegerField(
        _("first check-in (working days after the start)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    checkin_halfway = models.BooleanField(_("check-in halfway through the probation"), default=True)
    checkin_days_before_end = models.PositiveSmallIntegerField(
        _("last check-in (days before the probation ends)"),
        default=10,
        validators=[MinValueValidator(3), MaxValueValidator(30)],
        help_text=_("Moved to the next working day when it falls on a weekend or public holiday."),
    )
    exit_min_leavers = models.PositiveSmallIntegerField(
        _("exit patterns: smallest group"),
        default=3,
        validators=[MinValueValidator(3), MaxValueValidator(20)],
        help_text=_(
            "A theme from exit feedback shows only when at least this many leavers share it; never fewer than 3."
        ),
    )
    open_loop_working_days = models.PositiveSmallIntegerField(
        _("candidates waiting for an answer: working days"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_(
            "An introduced candidate without a final answer this many working days after their last stage appears"
            " in the recruiter's list and alert."
        ),
    )
    candidate_survey_hired = models.BooleanField(
        _("experience survey also for hired candidates"),
        default=False,
        help_text=_("Rejected and withdrawn candidates always get it; hired ones also get check-ins."),
    )
    retention_months = models.PositiveSmallIntegerField(
        _("retention (months)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("Personal data is anonymised this long after the last activity; scores are kept."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(condition=models.Q(max_reminders__lte=2), name="organisation_max_reminders_lte_2"),
            models.CheckConstraint(
                condition=models.Q(low_topic_threshold__gte=1, low_topic_threshold__lte=5),
                name="organisation_low_topic_threshold_range",
            ),
            models.CheckConstraint(condition=models.Q(low_nps_threshold__lte=10), name="organisation_low_nps_lte_10"),
            models.CheckConstraint(
                condition=models.Q(exit_min_leavers__gte=3), name="organisation_exit_min_leavers_gte_3"
            ),
        ]

    def __str__(self):
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", User.Role.ADMIN)
        if extra.get("organisation") is None and "organisation_id" not in extra:
            extra["organisation"] = Organisation.objects.order_by("pk").first() or Organisation.objects.create(
                name="evalportal"
            )
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person at the agency who logs in: recruiter, team lead or administrator."""

    class Role(models.TextChoices):
        RECRUITER = "recruiter", _("Recruiter")
        TEAM_LEAD = "team_lead", _("Team lead")
        ADMIN = "admin", _("Administrator")

    username = None
    email = models.EmailField(_("email address"), unique=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="users", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.RECRUITER)

    objects = UserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["first_name", "last_name", "email"]

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    @property
    def is_recruiter(self) -> bool:
        return self.role == self.Role.RECRUITER

    @property
    def is_team_lead(self) -> bool:
        return self.role == self.Role.TEAM_LEAD

    @property
    def is_org_admin(self) -> bool:
        return self.role == self.Role.ADMIN


class Team(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=100)
    leads = models.ManyToManyField(User, related_name="led_teams", blank=True, verbose_name=_("team leads"))
    members = models.ManyToManyField(User, related_name="teams", blank=True, verbose_name=_("members"))

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="team_unique_name_per_org")]

    def __str__(self):
        return self.name
