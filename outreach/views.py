"""The token links of every audience's emails; no login.

GET never stores anything: mail scanners follow every link. The token leaves the URL on the first visit
(as Django's password reset does): it is checked, the row's id is kept in the session under the outbox's
key, and the browser is sent to the audience's page without the token, so it cannot leak through a Referer.
"""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from evalportal.ratelimit import limit_by_address
from outreach import outbox as outboxes

# Token pages: enough for a person answering on a shared office connection, not for guessing links.
token_limit = limit_by_address("token", "RATELIMIT_TOKEN_PAGES_PER_MINUTE", 120)


def entries(request, outbox) -> list:
    """The rows of this outbox this browser opened by their links, newest last: [id, *what the page keeps]."""
    return request.session.get(outbox.session_key, [])


def entry_id(entry) -> int:
    return entry[0] if isinstance(entry, list) else entry


def allowed(request, outbox) -> list[int]:
    return [entry_id(entry) for entry in entries(request, outbox)]


def remember(request, outbox, entry: list) -> None:
    kept = [e for e in entries(request, outbox) if entry_id(e) != entry[0]]
    request.session[outbox.session_key] = kept[-9:] + [entry]


def chosen_language(request, default: str) -> str:
    chosen = request.GET.get("lang")
    return chosen if chosen in ("nl", "en") else default


def link_unusable(request, status=404):
    """One page for unknown, expired, cancelled and used-up links: no hint whether a token exists."""
    with translation.override(chosen_language(request, translation.get_language())):
        return render(request, "outreach/link_unusable.html", status=status)


@never_cache
@token_limit
@require_GET
def token_entry(request, token):
    outbox, row = outboxes.for_token(token)
    if row is None:
        return link_unusable(request)
    remember(request, outbox, outbox.session_entry(row))
    url = reverse(outbox.answer_url_name, args=[row.pk])
    score = request.GET.get("score", "")
    if score.isascii() and score.isdigit() and 0 <= int(score) <= 10:
        url += f"?score={int(score)}"
    return redirect(url)


@never_cache
@csrf_exempt  # RFC 8058 one-click: the mail client posts without our CSRF token; the token is the credential
@token_limit
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    outbox, row = outboxes.for_token(token)
    if row is None:
        return link_unusable(request)
    with translation.override(chosen_language(request, row.language)):
        if request.method == "POST":
            outbox.opt_out(row)
            return render(request, outbox.unsubscribed_template, outbox.context(row))
        return render(request, outbox.unsubscribe_template, outbox.context(row))
