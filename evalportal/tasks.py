"""Celery entry points of the installation itself."""

from evalportal.task_names import stable_task


@stable_task("evalportal.heartbeat")
def heartbeat() -> None:
    from evalportal import health

    health.heartbeat_record(name=health.BEAT)
