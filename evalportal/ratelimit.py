"""Fixed-window rate limits kept in the cache: 429 with Retry-After when a client asks too often.

The client address follows evalportal.proxies (X-Forwarded-For only from
TRUSTED_PROXIES). A cache that is down lets requests
through (logged): a limit must never take the site down with it.
"""

import functools
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

from evalportal.proxies import client_address

log = logging.getLogger(__name__)


def hit(scope: str, ident: str, *, limit: int, window: int = 60) -> int | None:
    """Count one request; return the seconds to wait when over the limit, else None."""
    now = int(time.time())
    start = now - now % window
    key = f"rl:{scope}:{ident}:{start}"
    try:
        cache.add(key, 0, timeout=window + 5)
        count = cache.incr(key)
    except Exception as exc:  # noqa: BLE001 - fail open
        log.warning("rate limit cache unavailable: %s", exc.__class__.__name__)
        return None
    return (start + window - now) or 1 if count > limit else None


def too_many(request, retry_after: int, *, json: bool = False) -> HttpResponse:
    if json:
        response = JsonResponse({"detail": f"Too many requests; try again in {retry_after} seconds."}, status=429)
    else:
        response = HttpResponse(render_to_string("429.html", request=request), status=429)
    response["Retry-After"] = str(retry_after)
    return response


def limit_by_address(scope: str, setting: str, default: int):
    """Decorator for views: at most N requests a minute from one client address."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            wait = hit(scope, client_address(request), limit=getattr(settings, setting, default))
            if wait:
                return too_many(request, wait)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
