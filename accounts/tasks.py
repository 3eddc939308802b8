from importlib import import_module

from django.conf import settings

from evalportal.task_names import stable_task


@stable_task("accounts.sessions_clear_expired", formerly=("accounts.tasks.sessions_clear_expired",))
def sessions_clear_expired() -> None:
    """Delete expired sessions; the database engine keeps them until asked (Django's clearsessions)."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
