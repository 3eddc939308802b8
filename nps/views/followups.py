"""Follow-ups: the recruiter's guide for the live evaluation call (the lists are reporting's)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.decorators import STAFF_ROLES, role_required
from nps import selectors, services
from nps.forms import FollowUpForm, parse_live_scores
from nps.models import Answer, FollowUp
from nps.services.followups import NOT_A_LIVE_VERSION
from nps.views.evaluation import open_commitments
from surveys.models import Dimension, SurveyVersion
from surveys.selectors import live_survey_versions


def _answers_by_dimension(response):
    groups = {}
    for answer in sorted(response.answers.all(), key=lambda a: a.version_topic.position):
        groups.setdefault(answer.version_topic.dimension, []).append(answer)
    return [(label, groups[value]) for value, label in Dimension.choices if value in groups]


def _live_part(post, versions: list[SurveyVersion]):
    """The scores on the call as posted with the page: (version, scores, nps), or a ValidationError."""
    raw_version = post.get("version", "")
    version = next((v for v in versions if str(v.pk) == raw_version), None)
    if version is None:
        if raw_version:  # not one of the organisation's live surveys
            raise ValidationError(NOT_A_LIVE_VERSION)
        return None, {}, None
    scores = parse_live_scores(post, topic_ids={vt.pk for vt in version.topics.all()})
    raw_nps = post.get("nps", "")
    return version, scores, int(raw_nps) if raw_nps in {str(n) for n in range(11)} else None


def _live_groups(followup, versions, post):
    """Each live survey with its topics and the score to show checked: as posted, else as stored."""
    stored = {}
    chosen = post.get("version") if post else None
    if followup.live_response:
        stored = dict(Answer.objects.filter(response=followup.live_response).values_list("version_topic_id", "score"))
        chosen = chosen or str(followup.live_response.survey_version_id)
    chosen = chosen if any(str(v.pk) == chosen for v in versions) else (str(versions[0].pk) if versions else None)
    groups = []
    for version in versions:
        rows = []
        for vt in version.topics.all():
            score = post.get(f"live_{vt.pk}", "") if post else str(stored.get(vt.pk, ""))
            rows.append((vt, score))
        groups.append((version, rows, str(version.pk) == chosen))
    return groups


@role_required(*STAFF_ROLES)
def followup_detail(request, pk):
    """The call guide. The whole page is one form, so nothing typed is lost whichever part is saved first."""
    followup = selectors.followup_get_for_user(user=request.user, pk=pk)
    organisation = request.user.organisation
    live_versions = live_survey_versions(organisation=organisation)
    form = FollowUpForm(request.POST or None, instance=followup)
    if request.method == "POST":
        try:
            version, scores, nps = _live_part(request.POST, live_versions)
        except ValidationError as error:
            form.add_error(None, error)
        if form.is_valid():
            try:
                services.followup_record_call(
                    followup=followup,
                    user=request.user,
                    fields={k: form.cleaned_data[k] for k in FollowUpForm.Meta.fields},
                    send_closing_email=form.cleaned_data["send_closing_email"],
                    closing_note=form.cleaned_data["closing_note"],
                    live_version=version,
                    live_scores=scores,
                    live_nps=nps,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Follow-up saved."))
                return redirect("nps:followup_detail", followup.pk)
    followup = selectors.followup_get_for_user(user=request.user, pk=pk)
    context = {
        "followup": followup,
        "response": followup.response,
        "form": form,
        "groups": _answers_by_dimension(followup.response),
        "low_topic": organisation.low_topic_threshold,
        "low_nps": organisation.low_nps_threshold,
        "live_groups": _live_groups(followup, live_versions, request.POST),
        "overdue": selectors.is_overdue(followup),
        "commitments": open_commitments(followup.response.client_id, exclude_followup=followup.pk),
    }
    return render(request, "nps/followup_detail.html", context)


@role_required(*STAFF_ROLES)
def response_detail(request, pk):
    response = selectors.response_get_for_user(user=request.user, pk=pk)
    context = {
        "response": response,
        "groups": _answers_by_dimension(response),
        "followup": FollowUp.objects.filter(response=response).first(),
    }
    return render(request, "nps/response_detail.html", context)
