"""Celery entry points: ids in, one service call, retry policy on the decorator."""

from evalportal.task_names import stable_task
from outreach.outbox import RETRY


@stable_task("checkins.checkin_send", **RETRY)
def checkin_send(checkin_id: int) -> str:
    from checkins.services import CHECKINS

    return CHECKINS.send(checkin_id)


@stable_task("checkins.checkin_remind", **RETRY)
def checkin_remind(checkin_id: int, force: bool = False) -> str:
    from checkins.services import CHECKINS

    return CHECKINS.remind(checkin_id, force=force)


@stable_task("checkins.plan_daily", acks_late=True)
def plan_daily() -> dict:
    from checkins import services

    return services.checkins_plan()


@stable_task("checkins.followup_notify", autoretry_for=(OSError,), retry_backoff=30, max_retries=5, acks_late=True)
def followup_notify(followup_id: int) -> bool:
    from checkins import services

    return services.followup_notify(followup_id=followup_id)
