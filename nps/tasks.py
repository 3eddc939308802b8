"""Celery entry points: ids in, one service call, retry policy on the decorator."""

from evalportal.task_names import stable_task
from outreach.outbox import RETRY


@stable_task("nps.invitation_send", formerly=("nps.tasks.invitation_send",), **RETRY)
def invitation_send(invitation_id: int) -> str:
    from nps import services

    return services.invitation_send(invitation_id=invitation_id)


@stable_task("nps.invitation_remind", formerly=("nps.tasks.invitation_remind",), **RETRY)
def invitation_remind(invitation_id: int, force: bool = False) -> str:
    from nps import services

    return services.invitation_remind(invitation_id=invitation_id, force=force)


@stable_task(
    "nps.followup_notify",
    formerly=("nps.tasks.followup_notify",),
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=5,
    acks_late=True,
)
def followup_notify(followup_id: int) -> bool:
    from nps import services

    return services.followup_notify(followup_id=followup_id)


@stable_task(
    "nps.followup_send_closing",
    formerly=("nps.tasks.followup_send_closing",),
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=5,
    acks_late=True,
)
def followup_send_closing(followup_id: int) -> None:
    from nps import services

    services.followup_send_closing(followup_id=followup_id)


@stable_task("nps.followups_remind_overdue", formerly=("nps.tasks.followups_remind_overdue",))
def followups_remind_overdue() -> int:
    from nps import services

    return services.followups_remind_overdue()


@stable_task("nps.personal_data_retain", formerly=("nps.tasks.personal_data_retain",))
def personal_data_retain() -> dict:
    from nps.services import privacy

    return privacy.personal_data_retain()
