"""Celery entry points of the installation itself."""

from celery import shared_task


@shared_task(name="evalportal.heartbeat")
def heartbeat() -> None:
    from evalportal import health

    health.heartbeat_record(name=health.BEAT)
