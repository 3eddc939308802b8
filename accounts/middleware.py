"""Sessions of people who log in end after 8 hours, and after 30 minutes without activity."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from accounts import two_factor

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


class TwoFactorMiddleware:
    """Send a logged-in user who needs a second factor and has not given it to set-up or verification.

    Runs after django-otp's OTPMiddleware, which tells whether this session was verified.
    The hiring managers' token pages, the API (keys, no sessions) and logging out stay reachable.
    """

    OPEN_VIEWS = {
        "accounts:login",
        "accounts:logout",
        "accounts:two_factor_setup",
        "accounts:two_factor_verify",
        "admin:logout",
        "set_language",
        "healthz",
        "readyz",
        "nps:privacy",
        "outreach:token_entry",
        "outreach:unsubscribe",
        "nps:answer",
        "nps:thanks",
        "nps:request_call",
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match is None or match.view_name in self.OPEN_VIEWS or request.path.startswith("/api/"):
            return None
        step = two_factor.next_step(user)
        return redirect(two_factor.url_with_next(step, request.get_full_path())) if step else None
