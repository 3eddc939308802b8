"""Celery entry points of placements: ids in, one service call."""

from evalportal.task_names import stable_task


@stable_task("placements.imports_clear_abandoned")
def imports_clear_abandoned() -> int:
    from placements import services

    return services.imports_clear_abandoned()
