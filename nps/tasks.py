"""Celery entry points: ids in, one service call, retry policy on the decorator."""

from celery import shared_task

from nps.services.invitations import TemporarySendError

RETRY = {
    "autoretry_for": (TemporarySendError,),
    "retry_backoff": 30,
    "retry_backoff_max": 900,
    "retry_jitter": True,
    "max_retries": 5,
    "acks_late": True,
}


@shared_task(**RETRY)
def invitation_send(invitation_id: int) -> str:
    from nps import services

    return services.invitation_send(invitation_id=invitation_id)


@shared_task(**RETRY)
def invitation_remind(invitation_id: int, force: bool = False) -> str:
    from nps import services

    return services.invitation_remind(invitation_id=invitation_id, force=force)


@shared_task(acks_late=True)
def invitations_sweep() -> dict:
    from nps import services

    return services.invitations_sweep()


@shared_task
def invitations_expire() -> int:
    from nps import services

    return services.invitations_expire()


@shared_task(autoretry_for=(OSError,), retry_backoff=30, max_retries=5, acks_late=True)
def followup_notify(followup_id: int) -> bool:
    from nps import services

    return services.followup_notify(followup_id=followup_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=30, max_retries=5, acks_late=True)
def followup_send_closing(followup_id: int) -> None:
    from nps import services

    services.followup_send_closing(followup_id=followup_id)


@shared_task
def followups_remind_overdue() -> int:
    from nps import services

    return services.followups_remind_overdue()


@shared_task(acks_late=True)
def summaries_refresh_changed() -> int:
    from nps.services import summaries

    return summaries.summaries_refresh_changed()


@shared_task
def summaries_reconcile() -> int:
    from nps.services import summaries

    return summaries.summaries_reconcile()


@shared_task
def digest_weekly() -> int:
    from nps import digest

    return digest.digest_send_all()


@shared_task
def personal_data_retain() -> dict:
    from nps.services import privacy

    return privacy.personal_data_retain()
