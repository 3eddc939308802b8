"""The Celery app and the beat schedule, one commented entry per job."""

import os

from celery import Celery
from celery.schedules import crontab
from django.conf import settings

from evalportal.health import HEARTBEAT_SECONDS

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "evalportal.settings")

app = Celery("evalportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # A heartbeat through the broker and a worker; /readyz fails when it is three beats late.
    "heartbeat": {"task": "evalportal.heartbeat", "schedule": float(HEARTBEAT_SECONDS)},
    # The outbox sweep of every audience: queue every due survey invitation, check-in or reminder that was
    # not sent, so a lost message or a dead worker delays a send, never loses it.
    "outbox-sweep": {"task": "outreach.sweep", "schedule": float(settings.INVITATION_SWEEP_SECONDS)},
    # Close what can no longer be answered (a survey 30 days after sending, configurable; a check-in sooner).
    "outbox-expire": {"task": "outreach.expire", "schedule": crontab(minute=15)},
    # Candidate check-ins due today, warnings about silences before a probation ends, and asking recruiters
    # for the outcome of a probation that ended the day before; every morning.
    "checkins-plan-daily": {"task": "checkins.plan_daily", "schedule": crontab(hour=8, minute=30)},
    # Exit patterns recounted from scratch: a lost recount message or a changed threshold heals here.
    "exits-recount-nightly": {"task": "exits.recount_nightly", "schedule": crontab(hour=2, minute=40)},
    # Introduced candidates: the alert about those still waiting for an answer (working mornings), and their
    # contact data anonymised four weeks after the final answer or when their time on file ends (nightly).
    "applicants-loops-alert": {"task": "applicants.loops_alert", "schedule": crontab(hour=8, minute=15)},
    "applicants-forget": {"task": "applicants.forget", "schedule": crontab(hour=3, minute=10)},
    # Refresh the dashboard buckets of responses changed lately (a lost refresh message heals here).
    "summaries-reconcile": {"task": "reporting.summaries_reconcile", "schedule": 300.0},
    # The weekly digest to each team lead, Monday 08:00 Amsterdam time.
    "digest-weekly": {"task": "reporting.digest_weekly", "schedule": crontab(hour=8, minute=0, day_of_week="mon")},
    # Anonymise personal data past the organisation's retention period, every night (AVG/GDPR).
    "personal-data-retain": {"task": "nps.personal_data_retain", "schedule": crontab(hour=3, minute=30)},
    # Delete expired sessions (logins and survey visits) every night; nothing else removes them.
    "sessions-clear-expired": {"task": "accounts.sessions_clear_expired", "schedule": crontab(hour=4, minute=0)},
    # Delete uploaded import files whose preview was never confirmed (kept at most 24 hours), every hour.
    "imports-clear-abandoned": {"task": "placements.imports_clear_abandoned", "schedule": crontab(minute=40)},
    # Remind owners of overdue follow-ups, every working morning.
    "followups-remind-overdue": {
        "task": "nps.followups_remind_overdue",
        "schedule": crontab(hour=7, minute=30, day_of_week="mon-fri"),
    },
}


def load_for_publishing() -> None:
    """Load what publishing the first task would: the task modules, the finalized task registry and the
    broker transport's module. The web server calls this before it starts its workers, so the first
    request that queues a task after a (re)start does not wait for imports. Nothing connects here."""
    app.autodiscover_tasks(force=True)
    app.finalize(auto=True)
    app.connection_for_write().release()
    app.backend  # noqa: B018 - loads the (disabled) result backend that every published task asks for
