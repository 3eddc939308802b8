"""The columns every outbox row has, whatever audience it writes to."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


class OutboxMessage(models.Model):
    """One email that asks for an answer: the row is the outbox, its status the truth, a Celery message only a
    nudge. Sending claims the row first (scheduled -> sending); a reminder claims `reminder_claimed_at`."""

    Status = OutboxStatus

    language = models.CharField(max_length=2, default="nl")
    status = models.CharField(_("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.SCHEDULED)
    send_after = models.DateTimeField(db_index=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    reminder_claimed_at = models.DateTimeField(null=True, blank=True)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    @property
    def display_status(self) -> str:
        """What the recruiter sees: the row status refined by what happened after sending."""
        if self.status == OutboxStatus.SENT:
            if self.answered_at:
                return "answered"
            if self.opened_at:
                return "opened"
            if self.reminders_sent:
                return "reminded"
        return self.status

    def is_open(self, now) -> bool:
        """It takes answers once sent and until it expires."""
        return self.status == OutboxStatus.SENT and (self.expires_at is None or self.expires_at > now)
