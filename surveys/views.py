from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import LEAD_ROLES, STAFF_ROLES, role_required
from placements.selectors import client_get_for_user, client_list
from surveys import selectors, services
from surveys.forms import (
    DEFAULT_OPEN_QUESTION,
    ClientDefaultSurveyForm,
    DefaultSurveyForm,
    SurveyForm,
    TopicForm,
    parse_topic_ids,
)
from surveys.models import NPS_QUESTION, NPS_SCALE, DefaultSurvey, Dimension, Survey, SurveyKind

MOVES = ("add", "remove", "up", "down")


@role_required(*STAFF_ROLES)
def survey_list(request):
    user = request.user
    archived = request.GET.get("archived") == "1"
    active = selectors.survey_list(user=user).filter(kind=SurveyKind.ONLINE, versions__isnull=False).distinct()
    context = {
        "surveys": selectors.survey_list_with_use(user=user, archived=archived),
        "archived": archived,
        "org_default": selectors.default_survey_for_organisation(organisation=user.organisation),
        "client_defaults": DefaultSurvey.objects.filter(organisation=user.organisation, client__isnull=False)
        .select_related("client", "survey")
        .order_by("client__name"),
        "default_form": DefaultSurveyForm(surveys=active),
        "client_default_form": ClientDefaultSurveyForm(surveys=active, clients=client_list(user=user)),
        "can_set_org_default": user.role in LEAD_ROLES,
    }
    return render(request, "surveys/survey_list.html", context)


def _apply_move(action: str, topic_ids: list[int]) -> list[int]:
    """The no-JavaScript builder: add, remove or move one topic in the posted order."""
    verb, _sep, raw = action.partition(":")
    if not (raw.isascii() and raw.isdigit()):
        return topic_ids
    pk = int(raw)
    ids = list(topic_ids)
    if verb == "add" and pk not in ids:
        ids.append(pk)
    elif verb == "remove" and pk in ids:
        ids.remove(pk)
    elif verb in ("up", "down") and pk in ids:
        i = ids.index(pk)
        j = i - 1 if verb == "up" else i + 1
        if 0 <= j < len(ids):
            ids[i], ids[j] = ids[j], ids[i]
    return ids


def _builder(request, survey: Survey | None):
    user = request.user
    library = list(selectors.topic_list(organisation=user.organisation))
    if request.method == "POST":
        form = SurveyForm(request.POST, instance=survey)
        action = request.POST.get("action", "save")
        try:
            topic_ids = parse_topic_ids(request.POST.getlist("topics"))
        except ValidationError as error:
            topic_ids = []
            form.add_error(None, error)
        if action.partition(":")[0] in MOVES:
            topic_ids = _apply_move(action, topic_ids)
        elif form.is_valid():
            saved = _save(request, form, survey, topic_ids, publish=action == "publish")
            if saved is not None:
                return saved
    else:
        initial = {"revision": survey.revision if survey else 0}
        if survey is None:
            initial |= {f"open_question_{lang}": question for lang, question in DEFAULT_OPEN_QUESTION.items()}
        form = SurveyForm(instance=survey, initial=initial)
        topic_ids = [item.topic_id for item in survey.items.order_by("position")] if survey else []
    return _render_builder(request, form, survey, library, topic_ids)


def _save(request, form, survey, topic_ids, *, publish: bool):
    fields = {name: form.cleaned_data[name] for name in SurveyForm.Meta.fields}
    try:
        if survey is None:
            survey = services.survey_create(
                organisation=request.user.organisation, user=request.user, topic_ids=topic_ids, **fields
            )
        else:
            survey = services.survey_update(
                survey=survey, revision=form.cleaned_data["revision"] or 0, topic_ids=topic_ids, **fields
            )
        if publish:
            version = services.survey_publish(survey=survey, user=request.user, revision=survey.revision)
            messages.success(request, _("Published as version %(number)d.") % {"number": version.number})
        else:
            messages.success(request, _("Survey saved. Publish it to use it in invitations."))
        return redirect("surveys:survey_edit", pk=survey.pk)
    except ValidationError as error:
        if error.code == "stale":
            messages.error(request, error.messages[0])
            return redirect("surveys:survey_edit", pk=survey.pk)
        form.add_error(None, error)
        return None


def _render_builder(request, form, survey, library, topic_ids):
    by_id = {topic.pk: topic for topic in library}
    selected = [by_id[pk] for pk in topic_ids if pk in by_id]
    kind = form["kind"].value() or SurveyKind.ONLINE
    limit = Survey(kind=kind).max_topics
    counts = dict.fromkeys(Dimension.values, 0)
    for topic in selected:
        counts[topic.dimension] += 1
    context = {
        "form": form,
        "survey": survey,
        "selected": selected,
        "selected_ids": {t.pk for t in selected},
        "library": selectors.topics_by_dimension(library),
        "limit": limit,
        "limits": {"online": Survey(kind="online").max_topics, "live": Survey(kind="live").max_topics},
        "dimension_counts": [(value, label, counts[value]) for value, label in Dimension.choices],
        "versions": selectors.survey_versions_with_counts(survey=survey) if survey else [],
        "archived": bool(survey and survey.archived_at),
    }
    return render(request, "surveys/builder.html", context)


@role_required(*STAFF_ROLES)
def survey_create(request):
    return _builder(request, None)


@role_required(*STAFF_ROLES)
def survey_edit(request, pk):
    return _builder(request, selectors.survey_get_for_user(user=request.user, pk=pk))


@role_required(*STAFF_ROLES)
def survey_preview(request, pk):
    survey = selectors.survey_get_for_user(user=request.user, pk=pk)
    language = "en" if request.GET.get("lang") == "en" else "nl"
    items = list(survey.items.select_related("topic").order_by("position"))
    groups = {}
    for item in items:
        topic = item.topic
        groups.setdefault(topic.dimension, []).append(
            {
                "field": f"topic_{topic.pk}",
                "name": topic.name(language),
                "question": topic.question(language),
                "scale": list(enumerate(topic.scale_en if language == "en" else topic.scale_nl, start=1)),
                "selected": None,
            }
        )
    context = {
        "survey": survey,
        "language": language,
        "intro": survey.intro_en if language == "en" else survey.intro_nl,
        "nps": {
            "question": NPS_QUESTION[language],
            "low": NPS_SCALE[language][0],
            "high": NPS_SCALE[language][1],
            "selected": None,
        },
        "groups": [(label, groups[value]) for value, label in Dimension.choices if value in groups],
        "open_question": survey.open_question_en if language == "en" else survey.open_question_nl,
        "nps_values": range(11),
    }
    return render(request, "surveys/preview.html", context)


def _revision(request) -> int:
    raw = request.POST.get("revision", "")
    return int(raw) if raw.isascii() and raw.isdigit() else -1


@require_POST
@role_required(*STAFF_ROLES)
def survey_publish(request, pk):
    survey = selectors.survey_get_for_user(user=request.user, pk=pk)
    try:
        version = services.survey_publish(survey=survey, user=request.user, revision=_revision(request))
        messages.success(request, _("Published as version %(number)d.") % {"number": version.number})
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("surveys:survey_edit", pk=survey.pk)


@require_POST
@role_required(*STAFF_ROLES)
def survey_duplicate(request, pk):
    survey = selectors.survey_get_for_user(user=request.user, pk=pk)
    copy = services.survey_duplicate(
        survey=survey, user=request.user, name=_("Copy of %(name)s") % {"name": survey.name}
    )
    messages.success(request, _("Survey duplicated. The copy is a draft until you publish it."))
    return redirect("surveys:survey_edit", pk=copy.pk)


@require_POST
@role_required(*STAFF_ROLES)
def survey_archive(request, pk):
    survey = selectors.survey_get_for_user(user=request.user, pk=pk)
    try:
        services.survey_archive(survey=survey)
        messages.success(request, _("Survey archived."))
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("surveys:survey_edit", pk=survey.pk)
    return redirect("surveys:survey_list")


@require_POST
@role_required(*LEAD_ROLES)
def default_set(request):
    surveys = selectors.survey_list(user=request.user)
    form = DefaultSurveyForm(request.POST, surveys=surveys)
    if not form.is_valid():
        messages.error(request, _("Choose a survey from the list."))
        return redirect("surveys:survey_list")
    try:
        services.default_survey_set(organisation=request.user.organisation, survey=form.cleaned_data["survey"])
        messages.success(
            request,
            _("The organisation's default survey is now %(name)s.") % {"name": form.cleaned_data["survey"].name},
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("surveys:survey_list")


@require_POST
@role_required(*STAFF_ROLES)
def client_default_set(request):
    user = request.user
    form = ClientDefaultSurveyForm(
        request.POST, surveys=selectors.survey_list(user=user), clients=client_list(user=user)
    )
    if not form.is_valid():
        messages.error(request, _("Choose a client and a survey from the lists."))
        return redirect("surveys:survey_list")
    client, survey = form.cleaned_data["client"], form.cleaned_data["survey"]
    try:
        services.default_survey_set(organisation=user.organisation, survey=survey, client=client)
        messages.success(request, _("%(client)s now gets %(survey)s.") % {"client": client.name, "survey": survey.name})
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("surveys:survey_list")


@require_POST
@role_required(*STAFF_ROLES)
def client_default_clear(request, client_pk):
    client = client_get_for_user(user=request.user, pk=client_pk)
    services.default_survey_clear(organisation=request.user.organisation, client=client)
    messages.success(request, _("%(client)s now gets the organisation's default survey.") % {"client": client.name})
    return redirect("surveys:survey_list")


@role_required(*STAFF_ROLES)
def topic_list(request):
    topics = selectors.topic_list(organisation=request.user.organisation, include_archived=True)
    return render(request, "surveys/topic_list.html", {"library": selectors.topics_by_dimension(topics)})


@role_required(*STAFF_ROLES)
def topic_create(request):
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.topic_create(organisation=request.user.organisation, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Topic added to the library."))
            return redirect("surveys:topic_list")
    return render(request, "surveys/topic_form.html", {"form": form})


@require_POST
@role_required(*STAFF_ROLES)
def topic_archive(request, pk):
    topic = selectors.topic_get_for_user(user=request.user, pk=pk)
    archived = request.POST.get("archived", "1") == "1"
    if request.POST.get("archived") not in ("0", "1"):
        return HttpResponseBadRequest()
    services.topic_set_archived(topic=topic, archived=archived)
    messages.success(request, _("Topic archived.") if archived else _("Topic restored."))
    return redirect("surveys:topic_list")
