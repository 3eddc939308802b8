"""Operational endpoints: liveness (/healthz) and readiness (/readyz); see evalportal/health.py."""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from evalportal import health


def _answer(checks: dict[str, bool], **extra) -> JsonResponse:
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "unavailable", **{k: "ok" if v else "down" for k, v in checks.items()}}
    return JsonResponse(body | extra, status=200 if healthy else 503)


@never_cache
@require_GET
def healthz(request):
    """Liveness: 200 while this process answers and reaches the database; the broker is not asked."""
    return _answer({"database": health.database_ok()})


@never_cache
@require_GET
def readyz(request):
    """Readiness: the database, the broker, and a heartbeat of the periodic jobs in the last three minutes."""
    age = health.beat_age_seconds()
    checks = {
        "database": health.database_ok(),
        "broker": health.broker_ok(),
        "beat": age is not None and age <= health.HEARTBEAT_LATE_AFTER_SECONDS,
    }
    return _answer(checks, beat_seconds_ago=age)
