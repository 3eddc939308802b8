"""Placements as recruiters see them: with the state of their survey invitation."""

import django_filters
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import scope
from accounts.decorators import STAFF_ROLES, role_required
from accounts.models import User
from nps import selectors, services
from nps.models import Invitation
from placements.models import Placement
from placements.selectors import placement_get_for_user
from placements.selectors import placement_list as placements_for

STATE_LABELS = {
    "none": gettext_lazy("Not closed yet"),
    "scheduled": gettext_lazy("Scheduled"),
    "sending": gettext_lazy("Sending"),
    "sent": gettext_lazy("Sent"),
    "reminded": gettext_lazy("Reminded"),
    "opened": gettext_lazy("Opened"),
    "answered": gettext_lazy("Answered"),
    "expired": gettext_lazy("Expired"),
    "failed": gettext_lazy("Failed"),
    "cancelled": gettext_lazy("Cancelled"),
    "skipped": gettext_lazy("Skipped"),
}
STATE_BADGES = {
    "answered": "success",
    "failed": "danger",
    "skipped": "secondary",
    "cancelled": "secondary",
    "expired": "secondary",
    "none": "light",
    "scheduled": "info",
}


def invitation_state(link) -> str:
    if link is None:
        return "none"
    if link.skipped_reason:
        return "skipped"
    return link.invitation.display_status


class PlacementFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=gettext_lazy("Search"))
    status = django_filters.ChoiceFilter(
        choices=Placement.Status.choices, label=gettext_lazy("Status"), empty_label=gettext_lazy("All statuses")
    )
    recruiter = django_filters.ModelChoiceFilter(
        queryset=User.objects.none(), label=gettext_lazy("Recruiter"), empty_label=gettext_lazy("All recruiters")
    )

    class Meta:
        model = Placement
        fields = ["q", "status", "recruiter"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["recruiter"].queryset = scope.visible_recruiters(user=user)
        if user.role == User.Role.RECRUITER:
            del self.filters["recruiter"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(candidate_name__icontains=value)
            | Q(job_title__icontains=value)
            | Q(client__name__icontains=value)
            | Q(contact__name__icontains=value)
            | Q(external_id__iexact=value)
        )


@role_required(*STAFF_ROLES)
def placement_list(request):
    user = request.user
    placement_filter = PlacementFilter(request.GET or None, queryset=placements_for(user=user), user=user)
    page = Paginator(placement_filter.qs.order_by("-start_date", "-pk"), 50).get_page(request.GET.get("page"))
    links = selectors.invitation_links_for_placements(placement_ids=[p.pk for p in page])
    rows = []
    for placement in page:
        state = invitation_state(links.get(placement.pk))
        rows.append(
            {
                "placement": placement,
                "state": state,
                "state_label": STATE_LABELS[state],
                "badge": STATE_BADGES.get(state, "primary"),
            }
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "nps/placement_list.html",
        {"filter": placement_filter, "page": page, "rows": rows, "query": query.urlencode()},
    )


@role_required(*STAFF_ROLES)
def placement_detail(request, pk):
    placement = placement_get_for_user(user=request.user, pk=pk)
    link = selectors.invitation_links_for_placements(placement_ids=[placement.pk]).get(placement.pk)
    state = invitation_state(link)
    invitation = link.invitation if link else None
    context = {
        "placement": placement,
        "link": link,
        "invitation": invitation,
        "state": state,
        "state_label": STATE_LABELS[state],
        "badge": STATE_BADGES.get(state, "primary"),
        "other_placements": [
            other.placement for other in invitation.links.select_related("placement").exclude(placement=placement)
        ]
        if invitation and not (link and link.skipped_reason)
        else [],
        "response": getattr(invitation, "response", None) if invitation else None,
        "can_resend": bool(
            invitation
            and not link.skipped_reason
            and (
                invitation.status
                in (Invitation.Status.FAILED, Invitation.Status.CANCELLED, Invitation.Status.SCHEDULED)
                or (invitation.status == Invitation.Status.SENT and not invitation.answered_at)
            )
        ),
        "can_cancel": bool(
            invitation
            and not link.skipped_reason
            and invitation.status in (Invitation.Status.SCHEDULED, Invitation.Status.FAILED)
        ),
        "now": timezone.now(),
    }
    return render(request, "nps/placement_detail.html", context)


def _invitation_for_user(request, pk) -> tuple[Invitation, Placement]:
    invitation = get_object_or_404(Invitation, pk=pk, organisation_id=request.user.organisation_id)
    # The same 404 as an unknown id when none of its placements is the user's to see.
    visible = placements_for(user=request.user).filter(invitation_link__invitation=invitation).first()
    if visible is None:
        raise Http404
    return invitation, visible


@require_POST
@role_required(*STAFF_ROLES)
def invitation_resend(request, pk):
    invitation, placement = _invitation_for_user(request, pk)
    was_sent = invitation.status == invitation.Status.SENT
    if services.invitation_resend(invitation=invitation):
        messages.success(
            request,
            _("The reminder is being sent.") if was_sent else _("The survey is being sent."),
        )
    else:
        messages.error(request, _("This survey cannot be sent now: it was answered or has closed."))
    return redirect("nps:placement_detail", placement.pk)


@require_POST
@role_required(*STAFF_ROLES)
def invitation_cancel(request, pk):
    invitation, placement = _invitation_for_user(request, pk)
    if services.invitation_cancel(
        invitation=invitation,
        reason=_("Cancelled by %(name)s.") % {"name": request.user.get_full_name() or request.user.email},
    ):
        messages.success(request, _("The invitation is cancelled; no email will be sent."))
    else:
        messages.error(request, _("This invitation was already sent and cannot be cancelled."))
    return redirect("nps:placement_detail", placement.pk)
