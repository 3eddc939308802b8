"""Building emails from templates (healthchecks style), for every audience: the text and HTML parts, the
sender in the recruiter's name, and the one-click unsubscribe headers (RFC 2369, RFC 8058).

Deciding when to send lives in the services; this module only renders.
"""

import email.policy
from email.headerregistry import HeaderRegistry, UnstructuredHeader
from email.utils import formataddr, parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


class _UrlListHeader(UnstructuredHeader):
    """List-Unsubscribe (RFC 2369): URLs in angle brackets, kept whole on one line.

    The standard folding turns a line over 78 characters without spaces into
    RFC 2047 encoded words, and mail clients do not read those as the
    unsubscribe link. RFC 5322 allows lines up to 998 characters.
    """

    def fold(self, *, policy):
        text = str(self)
        if text.isascii() and len(self.name) + 2 + len(text) <= 998:
            return f"{self.name}: {text}{policy.linesep}"
        return super().fold(policy=policy)


_HEADERS = HeaderRegistry()
_HEADERS.map_to_type("list-unsubscribe", _UrlListHeader)


class _Email(EmailMultiAlternatives):
    def message(self, *, policy=email.policy.default):
        return super().message(policy=policy.clone(header_factory=_HEADERS))


def site_url(path: str) -> str:
    return settings.SITE_URL + path


def domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "evalportal.localhost"


def sender(name: str) -> str:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or f"noreply@{domain()}"
    return formataddr((name, address)) if name else formataddr(parseaddr(settings.DEFAULT_FROM_EMAIL))


def message(
    name: str,
    context: dict,
    *,
    to: list[str],
    language: str,
    sender_name: str = "",
    reply_to: list[str] | None = None,
    headers: dict | None = None,
) -> EmailMultiAlternatives:
    with translation.override(language):
        # A subject is one line of plain text, the text part plain text: neither is HTML-escaped.
        subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context, using="text").split())
        text = render_to_string(f"emails/{name}.txt", context, using="text")
        html = render_to_string(f"emails/{name}.html", context)
    message = _Email(subject, text, sender(sender_name), to, reply_to=reply_to, headers=headers)
    message.attach_alternative(html, "text/html")
    return message


def unsubscribe_headers(url: str) -> dict:
    """One-click unsubscribe that mail clients show as a button (RFC 2369 and RFC 8058)."""
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }
