from importlib import import_module

from celery import shared_task
from django.conf import settings


@shared_task
def sessions_clear_expired() -> None:
    """Delete expired sessions; the database engine keeps them until asked (Django's clearsessions)."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
