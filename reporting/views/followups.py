"""The follow-up lists: a recruiter's calls to make, a team's, and the calls behind a dashboard figure."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode

from accounts.decorators import STAFF_ROLES, role_required
from accounts.models import User
from nps import selectors
from nps.models import FollowUp
from reporting.closure import waiting_list
from reporting.selectors import NARROWING, dashboard_scope, parse_filters


@role_required(*STAFF_ROLES)
def followup_list(request):
    user = request.user
    scope = request.GET.get("scope", "mine" if user.role == User.Role.RECRUITER else "team")
    followups = selectors.followup_list(user=user, mine=scope == "mine")
    # Opened from the dashboard's follow-up figures: the same calls they count, whatever the period.
    filters = parse_filters(request.GET)
    narrowed = {key: getattr(filters, key) for key in NARROWING if getattr(filters, key)}
    if narrowed:
        followups = followups.filter(dashboard_scope(user=user, filters=filters, prefix="response__", date_field=None))
    show = request.GET.get("show", "open")
    if show == "open":
        followups = followups.filter(status__in=FollowUp.OPEN_STATUSES)
    today = timezone.localdate()
    rows = sorted(
        followups[:500],
        key=lambda f: (
            f.status not in FollowUp.OPEN_STATUSES,
            not (f.status in FollowUp.OPEN_STATUSES and f.due_date < today),
            f.due_date,
        ),
    )
    return render(
        request,
        "reporting/followup_list.html",
        {
            "rows": rows,
            "scope": scope,
            "show": show,
            "today": today,
            "can_see_team": user.role != User.Role.RECRUITER,
            "filter_query": urlencode(narrowed),
            # The other half of the day's list: introduced candidates still waiting for their final answer.
            "waiting": list(waiting_list(user=user, mine=scope == "mine")),
        },
    )
