"""The placement list and a placement's page. What the survey adds to them comes through placements.hooks."""

import django_filters
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import scope
from accounts.decorators import STAFF_ROLES, role_required
from accounts.models import User
from evalportal.forms import apply_errors
from placements import hooks, probation, services
from placements.forms import OutcomeForm
from placements.models import Placement
from placements.selectors import placement_get_for_user
from placements.selectors import placement_list as placements_for


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
    states = hooks.survey_states([p.pk for p in page])
    rows = [{"placement": p, "survey": states.get(p.pk)} for p in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "placements/placement_list.html",
        {"filter": placement_filter, "page": page, "rows": rows, "query": query.urlencode()},
    )


def detail_page(request, placement, *, outcome_form=None, status=200):
    context = {
        "placement": placement,
        "probation_basis": probation.basis(placement),
        "outcome_form": outcome_form
        or OutcomeForm(
            initial={
                "probation_outcome": "left" if placement.left_on else placement.probation_outcome,
                "left_on": placement.left_on,
                "ended_by": placement.ended_by,
                "leave_reason": placement.leave_reason,
            }
        ),
        "panels": hooks.panels(request, placement),
    }
    return render(request, "placements/placement_detail.html", context, status=status)


@role_required(*STAFF_ROLES)
def placement_detail(request, pk):
    return detail_page(request, placement_get_for_user(user=request.user, pk=pk))


@require_POST
@role_required(*STAFF_ROLES)
def placement_outcome(request, pk):
    """Record the outcome of the probation; a refusal shows the page again with what was chosen."""
    placement = placement_get_for_user(user=request.user, pk=pk)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.placement_record_outcome(
                placement=placement,
                user=request.user,
                outcome=form.cleaned_data["probation_outcome"],
                left_on=form.cleaned_data["left_on"],
                ended_by=form.cleaned_data["ended_by"],
                reason=form.cleaned_data["leave_reason"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The outcome is recorded."))
            return redirect(reverse("placements:placement_detail", args=[pk]))
    return detail_page(request, placement, outcome_form=form, status=400)
