"""The probation report and the placements and check-ins behind each of its figures."""

from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.decorators import STAFF_ROLES, role_required
from checkins.models import EXPECTATIONS, CheckIn
from checkins.selectors import may_read_answers
from reporting import probation, selectors


def _filters(request):
    """The dashboard's filters; channel and survey are the client survey's and do not apply here."""
    filters = selectors.parse_filters(request.GET)
    filters.channel = filters.survey = None
    return filters


def _labels() -> dict:
    return {name: CheckIn._meta.get_field(name).verbose_name for name in EXPECTATIONS}


@role_required(*STAFF_ROLES)
def probation_view(request):
    filters = _filters(request)
    user = request.user
    context = {
        "filters": filters,
        "choices": selectors.filter_choices(user=user),
        "survival": probation.survival(user=user, filters=filters),
        "checkins": probation.checkin_figures(user=user, filters=filters),
        "expectations": probation.failing_expectations(user=user, filters=filters),
        "expectation_labels": _labels(),
        "at_risk": probation.at_risk(user=user, filters=filters),
        "min_group": selectors.MIN_GROUP,
        "query": filters.query(),
    }
    return render(request, "reporting/probation.html", context)


@role_required(*STAFF_ROLES)
def probation_placements(request):
    filters = _filters(request)
    outcome = request.GET.get("outcome") if request.GET.get("outcome") in ("stayed", "left", "unknown") else None
    placements = probation.placements_behind(user=request.user, filters=filters, outcome=outcome)
    page = Paginator(placements, 50).get_page(request.GET.get("page"))
    context = {"filters": filters, "page": page, "outcome": outcome, "query": filters.query(outcome=outcome)}
    return render(request, "reporting/probation_placements.html", context)


@role_required(*STAFF_ROLES)
def probation_checkins(request):
    filters = _filters(request)
    answered = {"yes": True, "no": False}.get(request.GET.get("answered"))
    expectation = request.GET.get("expectation") if request.GET.get("expectation") in EXPECTATIONS else None
    checkins = probation.checkins_behind(user=request.user, filters=filters, answered=answered, expectation=expectation)
    page = Paginator(checkins, 50).get_page(request.GET.get("page"))
    rows = [{"checkin": c, "readable": may_read_answers(request.user, c.placement)} for c in page]
    context = {
        "filters": filters,
        "page": page,
        "rows": rows,
        "expectation": _labels().get(expectation),
        "query": filters.query(answered=request.GET.get("answered"), expectation=expectation),
    }
    return render(request, "reporting/probation_checkins.html", context)
