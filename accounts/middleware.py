"""Sessions of people who log in end after 8 hours, and after 30 minutes without activity."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

STARTED = "session_started"
SEEN = "session_seen"


class SessionExpiryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault(STARTED, now)
            seen = request.session.get(SEEN, now)
            idle = getattr(settings, "SESSION_IDLE_SECONDS", 30 * 60)
            absolute = getattr(settings, "SESSION_COOKIE_AGE", 8 * 60 * 60)
            if now - seen > idle or now - started > absolute:
                logout(request)
                return redirect(f"{reverse('accounts:login')}?next={request.path}")
            # Write the session at most once a minute, not on every request.
            if now - seen >= 60 or SEEN not in request.session:
                request.session[SEEN] = now
        return self.get_response(request)
