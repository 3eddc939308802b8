"""A client review report shared with the client: a personal read-only link that expires and can be revoked.
Only the hash of the link's token is stored; the link is shown once, to the one who made it."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from placements.models import Client


class ReportShare(models.Model):
    VALID_DAYS = 30

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="report_shares")
    quarter = models.PositiveIntegerField(_("quarter"))
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_viewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("shared client review")
        verbose_name_plural = _("shared client reviews")
        ordering = ["-created_at"]

    def __str__(self):
        return f"Shared review {self.pk}"

    @staticmethod
    def expiry(now: datetime.datetime) -> datetime.datetime:
        return now + datetime.timedelta(days=ReportShare.VALID_DAYS)

    def usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now
