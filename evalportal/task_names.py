"""Celery tasks under explicit, stable names.

A task's default name is its module path, so moving a module would rename its tasks, and messages
already queued under the old name would fail after a deploy. Every task is declared with `stable_task`:
a name of its own (`<app>.<task>`), plus the names it had before (`formerly`), registered for the same
function with the same options, so a message queued before a deploy is still processed after it. A
former name can go one release after the rename, once no queue can still hold it.
"""

from celery import shared_task


def stable_task(name: str, *, formerly: tuple[str, ...] = (), **options):
    def decorator(func):
        task = shared_task(name=name, **options)(func)
        for old in formerly:
            shared_task(name=old, **options)(func)
        return task

    return decorator
