"""The weekly digest to each team lead: Monday 08:00 Amsterdam time (Celery beat)."""

import datetime
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import scope
from accounts.models import User
from evalportal import mail
from nps import emails
from nps.models import DigestSent, FollowUp, Response
from reporting import selectors

log = logging.getLogger(__name__)


def digest_context(*, user: User, today: datetime.date) -> dict:
    week_end = today - datetime.timedelta(days=1)
    week = selectors.Filters(start=week_end - datetime.timedelta(days=6), end=week_end, preset="custom")
    quarter_start = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    quarter = selectors.Filters(
        start=quarter_start, end=week_end if week_end >= quarter_start else quarter_start, preset="custom"
    )
    week_data = selectors.dashboard_data(user=user, filters=week)
    quarter_data = selectors.dashboard_data(user=user, filters=quarter)
    detractors = Response.objects.filter(
        selectors.dashboard_scope(user=user, filters=week, date_field="completed_on"),
        nps_score__lte=6,
        completed_at__isnull=False,
    ).select_related("contact", "client", "recruiter")[:20]
    overdue = FollowUp.objects.filter(
        owner__in=scope.visible_recruiters(user=user), status__in=FollowUp.OPEN_STATUSES, due_date__lt=today
    ).select_related("owner", "response__contact", "response__client")[:20]
    return {
        "user": user,
        "week": week,
        "quarter": quarter,
        "week_data": week_data,
        "quarter_data": quarter_data,
        "detractors": detractors,
        "overdue": overdue,
        "url": emails.site_url("/dashboard/?" + week.query()),
    }


def digest_send(*, user: User, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    try:
        with transaction.atomic():
            DigestSent.objects.create(user=user, week=monday)
    except IntegrityError:
        return False
    try:
        mail.deliver(emails.digest_message(**digest_context(user=user, today=today)))
    except Exception:
        DigestSent.objects.filter(user=user, week=monday).delete()
        raise
    return True


def digest_send_all() -> int:
    sent = 0
    for user in User.objects.filter(role=User.Role.TEAM_LEAD, is_active=True):
        try:
            sent += digest_send(user=user)
        except Exception as exc:  # noqa: BLE001 - one failing address must not stop the others
            log.warning("digest for user %s failed: %s", user.pk, exc.__class__.__name__)
    return sent
