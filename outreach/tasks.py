"""The periodic work of every audience's outbox (outreach.outbox)."""

from evalportal.task_names import stable_task


@stable_task("outreach.sweep", formerly=("nps.invitations_sweep", "nps.tasks.invitations_sweep"), acks_late=True)
def sweep() -> dict:
    from outreach import outbox

    return outbox.sweep_all()


@stable_task("outreach.expire", formerly=("nps.invitations_expire", "nps.tasks.invitations_expire"))
def expire() -> dict:
    from outreach import outbox

    return outbox.expire_all()
