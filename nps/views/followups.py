"""Follow-ups: the recruiter's guide for the live evaluation call, and the lists."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import STAFF_ROLES, role_required
from accounts.models import User
from nps import selectors, services
from nps.dashboard import dashboard_scope, parse_filters
from nps.forms import FollowUpForm, parse_live_scores
from nps.models import Answer, FollowUp
from surveys.models import Dimension, SurveyVersion
from surveys.selectors import live_survey_versions

DASHBOARD_FILTERS = ("team", "recruiter", "client", "channel", "survey")


@role_required(*STAFF_ROLES)
def followup_list(request):
    user = request.user
    scope = request.GET.get("scope", "mine" if user.role == User.Role.RECRUITER else "team")
    followups = selectors.followup_list(user=user, mine=scope == "mine")
    # Opened from the dashboard's follow-up figures: the same calls they count, whatever the period.
    filters = parse_filters(request.GET)
    narrowed = {key: getattr(filters, key) for key in DASHBOARD_FILTERS if getattr(filters, key)}
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
        "nps/followup_list.html",
        {
            "rows": rows,
            "scope": scope,
            "show": show,
            "today": today,
            "can_see_team": user.role != User.Role.RECRUITER,
            "filter_query": urlencode(narrowed),
        },
    )


def _answers_by_dimension(response):
    groups = {}
    for answer in sorted(response.answers.all(), key=lambda a: a.version_topic.position):
        groups.setdefault(answer.version_topic.dimension, []).append(answer)
    return [(label, groups[value]) for value, label in Dimension.choices if value in groups]


@role_required(*STAFF_ROLES)
def followup_detail(request, pk):
    followup = selectors.followup_get_for_user(user=request.user, pk=pk)
    form = FollowUpForm(request.POST or None, instance=followup)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in FollowUpForm.Meta.fields}
        try:
            services.followup_update(
                followup=followup,
                user=request.user,
                send_closing_email=form.cleaned_data["send_closing_email"],
                closing_note=form.cleaned_data["closing_note"],
                **data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Follow-up saved."))
            return redirect("nps:followup_detail", followup.pk)
    followup = selectors.followup_get_for_user(user=request.user, pk=pk)
    organisation = request.user.organisation
    live_versions = live_survey_versions(organisation=organisation)
    live_answers = {}
    if followup.live_response:
        live_answers = dict(
            Answer.objects.filter(response=followup.live_response).values_list("version_topic_id", "score")
        )
    context = {
        "followup": followup,
        "response": followup.response,
        "form": form,
        "groups": _answers_by_dimension(followup.response),
        "low_topic": organisation.low_topic_threshold,
        "low_nps": organisation.low_nps_threshold,
        "live_versions": live_versions,
        "live_answers": live_answers,
        "overdue": selectors.is_overdue(followup),
    }
    return render(request, "nps/followup_detail.html", context)


@require_POST
@role_required(*STAFF_ROLES)
def followup_live_scores(request, pk):
    followup = selectors.followup_get_for_user(user=request.user, pk=pk)
    raw_version = request.POST.get("version", "")
    version = SurveyVersion.objects.filter(
        pk=int(raw_version) if raw_version.isdigit() else -1, survey__organisation=request.user.organisation
    ).first()
    if version is None:
        messages.error(request, _("Choose the survey you used in the call."))
        return redirect("nps:followup_detail", followup.pk)
    try:
        topic_ids = set(version.topics.values_list("pk", flat=True))
        scores = parse_live_scores(request.POST, topic_ids=topic_ids)
        raw_nps = request.POST.get("nps", "")
        nps = int(raw_nps) if raw_nps in {str(n) for n in range(11)} else None
        services.followup_record_live_scores(followup=followup, version=version, scores=scores, nps_score=nps)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Scores from the call saved."))
    return redirect("nps:followup_detail", followup.pk)


@role_required(*STAFF_ROLES)
def response_detail(request, pk):
    response = selectors.response_get_for_user(user=request.user, pk=pk)
    context = {
        "response": response,
        "groups": _answers_by_dimension(response),
        "followup": FollowUp.objects.filter(response=response).first(),
    }
    return render(request, "nps/response_detail.html", context)
