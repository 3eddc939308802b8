"""Celery entry points of placements: ids in, one service call."""

from celery import shared_task


@shared_task(name="placements.imports_clear_abandoned")
def imports_clear_abandoned() -> int:
    from placements import services

    return services.imports_clear_abandoned()
