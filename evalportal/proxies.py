"""The one rule for what a request says about its sender: believed only from TRUSTED_PROXIES.

The rate limits, the login lockout (django-axes) and the request id all ask here, so a proxy in front
of the app never makes every user look like one address, and nobody else can claim to be a proxy.
"""

import re
import secrets

from django.conf import settings

# Shorter than a token, so the log redaction leaves it readable.
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,31}$")


def from_trusted_proxy(request) -> bool:
    return request.META.get("REMOTE_ADDR", "") in set(getattr(settings, "TRUSTED_PROXIES", []))


def client_address(request) -> str:
    """The nearest address in X-Forwarded-For that is not one of our proxies, else REMOTE_ADDR."""
    remote = request.META.get("REMOTE_ADDR", "")
    if from_trusted_proxy(request):
        trusted = set(settings.TRUSTED_PROXIES)
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        for hop in reversed(hops):  # the nearest hop not one of ours is the client
            if hop not in trusted:
                return hop
    return remote


def request_id(request) -> str:
    """X-Request-ID from a trusted proxy (so its log and ours share one id), else a new one."""
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    if given and from_trusted_proxy(request) and REQUEST_ID.match(given):
        return given
    return secrets.token_hex(10)
