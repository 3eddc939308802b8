"""Receivers of nps's change signals: the dashboards catch up after the change commits."""

from django.db import transaction
from django.dispatch import receiver

from nps.signals import followup_changed, response_changed
from reporting.summaries import queue_summary_refresh


@receiver(response_changed, dispatch_uid="reporting.response_changed")
@receiver(followup_changed, dispatch_uid="reporting.followup_changed")
def refresh_summaries(sender, **kwargs):
    transaction.on_commit(queue_summary_refresh)
