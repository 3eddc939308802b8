"""Evaluation both ways on the placement and client pages: the recruiter's rating of the client, and the
commitments carried from the last evaluation (through placements.hooks)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import STAFF_ROLES, role_required
from evalportal.forms import apply_errors
from nps import services
from nps.models import ClientRating, Commitment, FollowUp
from nps.services.evaluation import RESOLVED
from placements.selectors import placement_get_for_user

SCALE = [(str(n), str(n)) for n in range(1, 6)]


class RatingForm(forms.Form):
    briefing = forms.ChoiceField(
        label=ClientRating._meta.get_field("briefing").verbose_name, choices=SCALE, widget=forms.RadioSelect
    )
    feedback_speed = forms.ChoiceField(
        label=ClientRating._meta.get_field("feedback_speed").verbose_name, choices=SCALE, widget=forms.RadioSelect
    )
    reachability = forms.ChoiceField(
        label=ClientRating._meta.get_field("reachability").verbose_name, choices=SCALE, widget=forms.RadioSelect
    )
    decision_speed = forms.ChoiceField(
        label=ClientRating._meta.get_field("decision_speed").verbose_name, choices=SCALE, widget=forms.RadioSelect
    )
    client_needs = forms.MultipleChoiceField(
        label=gettext_lazy("What I needed from the client"),
        choices=FollowUp.ClientNeed.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    client_needs_note = forms.CharField(
        label=gettext_lazy("Note on what I needed"),
        required=False,
        max_length=500,
        help_text=gettext_lazy("Becomes an agreement with the client, shown at the next placement for this client."),
    )


def open_commitments(client_id: int, *, exclude_followup: int | None = None):
    found = Commitment.objects.filter(client_id=client_id, status=Commitment.Status.OPEN).select_related("recruiter")
    if exclude_followup:
        found = found.exclude(followup_id=exclude_followup)
    return list(found)


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def client_rating(request, pk):
    """The recruiter's view of the client for this placement: four ratings and what they needed."""
    placement = placement_get_for_user(user=request.user, pk=pk)
    if placement.recruiter_id != request.user.pk:
        raise Http404
    rating = ClientRating.objects.filter(placement=placement).first()
    initial = {f: str(getattr(rating, f)) for f in ClientRating.FIELDS} if rating else {}
    if rating:
        initial |= {"client_needs": rating.client_needs, "client_needs_note": rating.client_needs_note}
    form = RatingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.rating_record(placement=placement, user=request.user, values=form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your rating of the client is saved."))
            return redirect("placements:placement_detail", placement.pk)
    context = {"placement": placement, "form": form, "rating": rating, "blind_days": ClientRating.BLIND_DAYS}
    return render(request, "nps/client_rating.html", context, status=400 if form.errors else 200)


@require_POST
@role_required(*STAFF_ROLES)
def commitment_status(request, pk):
    """Mark a commitment kept, not kept or no longer relevant; back to the page it was marked on."""
    commitment = Commitment.objects.filter(pk=pk, organisation_id=request.user.organisation_id).first()
    if commitment is None:
        raise Http404
    try:
        services.commitment_resolve(commitment=commitment, user=request.user, status=request.POST.get("status", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The agreement is marked."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = "/"
    return redirect(back)


def placement_panel(request, placement) -> str:
    """The agreements from the last evaluation of this client, and the recruiter's rating of the client."""
    rating = ClientRating.objects.filter(placement=placement).first()
    context = {
        "placement": placement,
        "rating": rating,
        "can_rate": placement.status == "closed" and placement.recruiter_id == request.user.pk,
        "commitments": open_commitments(placement.client_id),
        "next": request.get_full_path(),
        "statuses": RESOLVED,
    }
    return render_to_string("nps/_evaluation_panel.html", context, request=request)


def client_panel(request, client) -> str:
    """The client's agreements: open ones to mark, and the latest marked."""
    commitments = Commitment.objects.filter(client=client).select_related("recruiter").order_by("-created_at")[:30]
    context = {
        "client": client,
        "open": [c for c in commitments if c.status == Commitment.Status.OPEN],
        "done": [c for c in commitments if c.status != Commitment.Status.OPEN][:10],
        "next": request.get_full_path(),
        "statuses": RESOLVED,
    }
    return render_to_string("nps/_client_commitments.html", context, request=request)
