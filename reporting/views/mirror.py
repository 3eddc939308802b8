"""The mirror per client, the client review report (printable, and shared with the client by a personal
read-only link that expires after 30 days and can be revoked)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts import scope
from accounts.decorators import STAFF_ROLES, role_required
from evalportal import quarters
from exits import patterns
from exits.themes import Theme
from nps.models import Commitment
from outreach import tokens
from outreach.views import token_limit
from placements.models import Placement
from reporting import mirror as mirrors
from reporting.models import ReportShare
from reporting.selectors import MIN_GROUP

QUARTERS = 4


def _to(request) -> int:
    return quarters.parse(request.GET.get("quarter")) or quarters.quarter_of(timezone.localdate())


@role_required(*STAFF_ROLES)
def client_mirror(request, pk):
    """Both sides of the evaluation of one client, quarter by quarter, with the facts and the agreements."""
    client = mirrors.client_for(request.user, pk)
    to = _to(request)
    context = mirrors.mirror(user=request.user, client=client, to=to, n=QUARTERS)
    context |= {
        "quarter": quarters.param(to),
        "earlier": quarters.param(quarters.previous(to, 2)[0]),
        "later": quarters.param(quarters.following(to)),
        "kept_next": mirrors.kept_and_next_score(user=request.user),
        "min_group": MIN_GROUP,
    }
    return render(request, "reporting/mirror.html", context)


def _survival(placements, to: int) -> dict:
    first, _end = quarters.bounds(quarters.previous(to, QUARTERS)[0])
    _start, last = quarters.bounds(to)
    ended = placements.filter(probation_end_date__gte=first, probation_end_date__lte=last)
    stayed = ended.filter(probation_outcome="stayed").count()
    left = ended.filter(probation_outcome="left").count()
    n = stayed + left
    return {"n": n, "rate": round(100 * stayed / n) if n >= MIN_GROUP else None}


def _review_context(user, client, to: int, *, shared: bool) -> dict:
    context = mirrors.mirror(user=user, client=client, to=to, n=QUARTERS)
    recruiters = scope.recruiter_ids(user=user)
    placements = Placement.objects.filter(client=client)
    if recruiters is not None:
        placements = placements.filter(recruiter_id__in=recruiters)
    periods = quarters.previous(to, QUARTERS)
    exit_table = patterns.table(client.organisation, "client", str(client.pk), periods)
    context |= {
        "sections": mirrors.sections(context["columns"], shared=shared),
        "shared": shared,
        "quarter_label": quarters.label(to),
        "quarter": quarters.param(to),
        "organisation": client.organisation,
        "survival": _survival(placements, to),
        "commitments": list(
            Commitment.objects.filter(client=client, created_at__date__lte=quarters.bounds(to)[1]).exclude(
                status=Commitment.Status.EXPIRED
            )
        ),
        "exit_rows": [
            {"label": str(label), "counts": [exit_table.themes[code].get(q) for q in periods]}
            for code, label in Theme.choices
            if code in exit_table.themes
        ],
        "exit_threshold": patterns.threshold(client.organisation),
        "shared_min_recruiters": mirrors.SHARED_MIN_RECRUITERS,
    }
    return context


@role_required(*STAFF_ROLES)
def client_review(request, pk):
    """The review report for the quarterly meeting: prints on A4; shared by a link from here."""
    client = mirrors.client_for(request.user, pk)
    to = _to(request)
    context = _review_context(request.user, client, to, shared=False)
    context["shares"] = ReportShare.objects.filter(
        client=client, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )
    context["new_link"] = request.session.pop("new_share_link", None)
    return render(request, "reporting/review.html", context)


@require_POST
@role_required(*STAFF_ROLES)
def review_share(request, pk):
    """A personal read-only link to this report for the client, valid for 30 days; shown once."""
    client = mirrors.client_for(request.user, pk)
    to = quarters.parse(request.POST.get("quarter")) or quarters.quarter_of(timezone.localdate())
    token = tokens.new_token()
    ReportShare.objects.create(
        organisation_id=client.organisation_id,
        client=client,
        quarter=to,
        token_hash=tokens.token_hash(token),
        created_by=request.user,
        expires_at=ReportShare.expiry(timezone.now()),
    )
    request.session["new_share_link"] = request.build_absolute_uri(reverse("reporting:shared_review", args=[token]))
    messages.success(request, _("The link is made. Copy it now: it is shown only once."))
    return redirect(reverse("reporting:client_review", args=[client.pk]) + f"?quarter={quarters.param(to)}")


@require_POST
@role_required(*STAFF_ROLES)
def share_revoke(request, pk):
    share = ReportShare.objects.filter(pk=pk, organisation_id=request.user.organisation_id).first()
    if share is None:
        raise Http404
    client = mirrors.client_for(request.user, share.client_id)
    ReportShare.objects.filter(pk=share.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=request.user
    )
    messages.success(request, _("The link no longer works."))
    return redirect("reporting:client_review", client.pk)


@never_cache
@token_limit
@require_GET
def shared_review(request, token):
    """The client's read-only copy. An unknown, expired or revoked link gets one friendly page."""
    share = None
    if tokens.looks_like_token(token):
        share = (
            ReportShare.objects.select_related("client__organisation", "created_by")
            .filter(token_hash=tokens.token_hash(token))
            .first()
        )
    if share is None or not share.usable():
        return render(request, "reporting/shared_unusable.html", status=410 if share else 404)
    ReportShare.objects.filter(pk=share.pk).update(last_viewed_at=timezone.now())
    with translation.override(translation.get_language()):
        context = _review_context(share.created_by, share.client, share.quarter, shared=True)
        context["expires_at"] = share.expires_at
        return render(request, "reporting/shared_review.html", context)
