"""What the survey invitation adds to the placement pages (through placements.hooks), and its actions."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.decorators import STAFF_ROLES, role_required
from nps import selectors, services
from nps.models import Invitation
from placements.models import Placement
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


def placement_states(placement_ids: list[int]) -> dict[int, tuple[str, str]]:
    """The survey state of each placement in the list (placements.hooks)."""
    links = selectors.invitation_links_for_placements(placement_ids=placement_ids)
    states = {pk: invitation_state(links.get(pk)) for pk in placement_ids}
    return {pk: (STATE_LABELS[state], STATE_BADGES.get(state, "primary")) for pk, state in states.items()}


def placement_panel(request, placement) -> str:
    """The survey card on a placement's page: its invitation, and resend or cancel (placements.hooks)."""
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
    return render_to_string("nps/_placement_survey.html", context, request=request)


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
    return redirect("placements:placement_detail", placement.pk)


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
    return redirect("placements:placement_detail", placement.pk)
