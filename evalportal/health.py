"""Liveness and readiness checks, kept apart: a broker outage the app survives must not restart web processes.

/healthz (liveness) asks only what a restart could fix: this process answers and reaches the database.
/readyz (readiness) also asks the broker and whether the periodic jobs run (beat's heartbeat, sent through
the broker and run by a worker), for a monitor or a load balancer that wants the whole picture.
"""

import logging
import os

from django.conf import settings
from django.db import connection
from django.utils import timezone

log = logging.getLogger(__name__)

BEAT = "beat"
# beat queues the heartbeat every HEARTBEAT_SECONDS; three missed beats make readiness fail.
HEARTBEAT_SECONDS = 60
HEARTBEAT_LATE_AFTER_SECONDS = 3 * HEARTBEAT_SECONDS


def heartbeat_record(*, name: str) -> None:
    """Store that the job `name` ran now."""
    from evalportal.models import Heartbeat

    Heartbeat.objects.update_or_create(name=name, defaults={"beat_at": timezone.now()})


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()[0] == 1
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        log.warning("health: database check failed: %s", exc.__class__.__name__)
        return False


def broker_ok() -> bool:
    url = settings.CELERY_BROKER_URL
    if url.startswith("filesystem://"):
        folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"]
        return os.path.isdir(folder) and os.access(folder, os.W_OK)
    from evalportal.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception as exc:  # noqa: BLE001
        log.warning("health: broker check failed: %s", exc.__class__.__name__)
        return False


def beat_age_seconds() -> int | None:
    """Seconds since the last heartbeat, or None when none was ever recorded (or the database is away)."""
    from evalportal.models import Heartbeat

    try:
        beat_at = Heartbeat.objects.filter(name=BEAT).values_list("beat_at", flat=True).first()
    except Exception as exc:  # noqa: BLE001
        log.warning("health: heartbeat read failed: %s", exc.__class__.__name__)
        return None
    return None if beat_at is None else max(0, int((timezone.now() - beat_at).total_seconds()))
