"""Celery entry points of reporting: ids in (or nothing), one call; names that survive a move."""

from evalportal.task_names import stable_task


@stable_task("reporting.summaries_refresh_changed", formerly=("nps.tasks.summaries_refresh_changed",), acks_late=True)
def summaries_refresh_changed() -> int:
    from reporting import summaries

    return summaries.summaries_refresh_changed()


@stable_task("reporting.summaries_reconcile", formerly=("nps.tasks.summaries_reconcile",))
def summaries_reconcile() -> int:
    from reporting import summaries

    return summaries.summaries_reconcile()


@stable_task("reporting.digest_weekly", formerly=("nps.tasks.digest_weekly",))
def digest_weekly() -> int:
    from reporting import digest

    return digest.digest_send_all()
