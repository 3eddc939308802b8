"""Celery entry points: ids in (never an address or a token), one service call, retry policy on the decorator."""

from evalportal.task_names import stable_task
from outreach.outbox import RETRY


@stable_task("applicants.survey_send", **RETRY)
def survey_send(survey_id: int) -> str:
    from applicants.services import CANDIDATES

    return CANDIDATES.send(survey_id)


@stable_task("applicants.survey_remind", **RETRY)
def survey_remind(survey_id: int, force: bool = False) -> str:
    from applicants.services import CANDIDATES

    return CANDIDATES.remind(survey_id, force=force)


@stable_task("applicants.loops_alert", acks_late=True)
def loops_alert() -> int:
    """Working mornings: each recruiter hears about candidates who started waiting too long."""
    from django.utils import timezone

    from applicants import services
    from evalportal.working_days import is_working_day

    today = timezone.localdate()
    return services.loops_alert(today=today) if is_working_day(today) else 0


@stable_task("applicants.forget", acks_late=True)
def forget() -> int:
    from applicants import services

    return services.forget()
