"""Builds invitation, reminder and notification emails from templates (healthchecks style).

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

from nps.models import FollowUp, Invitation


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


def _domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "evalportal.localhost"


def _sender(name: str) -> str:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or f"noreply@{_domain()}"
    return formataddr((name, address)) if name else formataddr(parseaddr(settings.DEFAULT_FROM_EMAIL))


def _message(
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
    message = _Email(subject, text, _sender(sender_name), to, reply_to=reply_to, headers=headers)
    message.attach_alternative(html, "text/html")
    return message


def invitation_message(
    *, invitation: Invitation, token: str, kind: str = "invitation", sequence: int = 0
) -> EmailMultiAlternatives:
    """The personal survey email (or a reminder): NPS as eleven links, a button, an opt-out."""
    placements = [
        link.placement
        for link in invitation.links.select_related("placement__client")
        .filter(skipped_reason="")
        .order_by("placement__start_date")
    ]
    answer_url = site_url(f"/s/{token}/")
    unsubscribe_url = site_url(f"/s/{token}/unsubscribe/")
    recruiter = invitation.recruiter
    version = invitation.survey_version
    context = {
        "invitation": invitation,
        "contact": invitation.contact,
        "recruiter": recruiter,
        "recruiter_name": recruiter.get_full_name() or recruiter.email,
        "organisation": invitation.organisation,
        "placements": placements,
        "placement": placements[0] if placements else None,
        "client": invitation.contact.client,
        "answer_url": answer_url,
        "score_links": [(n, f"{answer_url}?score={n}") for n in range(11)],
        "nps_question": version.nps_question(invitation.language),
        "unsubscribe_url": unsubscribe_url,
        "reminder": kind == "reminder",
        "quiet_days": invitation.organisation.quiet_period_days,
    }
    message_id = f"<evalportal.{kind}.{invitation.pk}.{sequence}@{_domain()}>"
    headers = {
        "Message-ID": message_id,
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }
    return _message(
        "invitation",
        context,
        to=[invitation.contact.email],
        language=invitation.language,
        sender_name=context["recruiter_name"],
        reply_to=[recruiter.email],
        headers=headers,
    )


def followup_alert_message(*, followup: FollowUp) -> EmailMultiAlternatives:
    """Tell the recruiter a low score needs a live follow-up call."""
    response = followup.response
    context = {
        "followup": followup,
        "response": response,
        "contact": response.contact,
        "url": site_url(f"/follow-ups/{followup.pk}/"),
    }
    return _message(
        "followup_alert",
        context,
        to=[followup.owner.email],
        language="nl",
        headers={"Message-ID": f"<evalportal.followup.{followup.pk}@{_domain()}>"},
    )


def followups_overdue_message(*, owner, followups: list[FollowUp]) -> EmailMultiAlternatives:
    context = {"owner": owner, "followups": followups, "url": site_url("/follow-ups/")}
    return _message("followups_overdue", context, to=[owner.email], language="nl")


def followup_closing_message(*, followup: FollowUp, note: str) -> EmailMultiAlternatives:
    """The short close-the-loop email to the hiring manager after the call."""
    response = followup.response
    recruiter = followup.owner
    name = recruiter.get_full_name() or recruiter.email
    context = {
        "contact": response.contact,
        "recruiter_name": name,
        "note": note,
        "organisation": followup.owner.organisation,
    }
    return _message(
        "followup_closing",
        context,
        to=[response.contact.email],
        language=response.contact.language,
        sender_name=name,
        reply_to=[recruiter.email],
        headers={"Message-ID": f"<evalportal.closing.{followup.pk}@{_domain()}>"},
    )


def digest_message(*, user, **context) -> EmailMultiAlternatives:
    return _message("digest", {"user": user, **context}, to=[user.email], language="nl")
