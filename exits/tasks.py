"""Celery entry points: ids in (never an address or a token), one service call, retry policy on the decorator."""

from evalportal.task_names import stable_task
from outreach.outbox import RETRY


@stable_task("exits.exit_send", **RETRY)
def exit_send(invitation_id: int) -> str:
    from exits.services import EXITS

    return EXITS.send(invitation_id)


@stable_task("exits.exit_remind", **RETRY)
def exit_remind(invitation_id: int, force: bool = False) -> str:
    from exits.services import EXITS

    return EXITS.remind(invitation_id, force=force)


@stable_task("exits.recount", acks_late=True)
def recount(organisation_id: int, quarters: list[int]) -> int:
    from exits import patterns

    return patterns.rebuild(organisation_id, quarters)


@stable_task("exits.recount_nightly", acks_late=True)
def recount_nightly() -> dict:
    """Every organisation's patterns from scratch: what a lost recount message or a changed threshold left."""
    from accounts.models import Organisation
    from exits import patterns

    return {pk: patterns.rebuild_all(pk) for pk in Organisation.objects.values_list("pk", flat=True)}
