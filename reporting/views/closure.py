"""The closure report: did every introduced candidate hear back, beside the client NPS."""

from django.shortcuts import render

from accounts.decorators import STAFF_ROLES, role_required
from reporting import closure, selectors


@role_required(*STAFF_ROLES)
def closure_view(request):
    filters = selectors.parse_filters(request.GET)
    filters.channel = filters.survey = None  # the client survey's filters do not apply to candidates
    user = request.user
    context = {
        "filters": filters,
        "choices": selectors.filter_choices(user=user),
        "data": closure.closure_data(user=user, filters=filters),
        "min_group": selectors.MIN_GROUP,
        "open_loop_days": user.organisation.open_loop_working_days,
    }
    return render(request, "reporting/closure.html", context)
