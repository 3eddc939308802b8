"""Reads for topics and surveys, always scoped to the user's organisation."""

from django.db.models import Case, Count, Max, Q, QuerySet, When
from django.shortcuts import get_object_or_404

from accounts.models import Organisation, User
from placements.models import Client
from surveys.models import DefaultSurvey, Dimension, Survey, SurveyKind, SurveyVersion, Topic


def topic_list(*, organisation: Organisation, include_archived: bool = False) -> QuerySet[Topic]:
    topics = Topic.objects.filter(Q(organisation=organisation) | Q(organisation__isnull=True))
    if not include_archived:
        topics = topics.filter(is_archived=False)
    return topics.order_by("dimension", "name_nl")


def topic_get_for_user(*, user: User, pk: int) -> Topic:
    """An organisation's own topic (standard topics are not editable)."""
    return get_object_or_404(Topic, pk=pk, organisation_id=user.organisation_id)


def topics_by_dimension(topics) -> list[tuple[str, str, list[Topic]]]:
    groups = {value: [] for value in Dimension.values}
    for topic in topics:
        groups[topic.dimension].append(topic)
    return [(value, label, groups[value]) for value, label in Dimension.choices]


def survey_list(*, user: User, archived: bool = False) -> QuerySet[Survey]:
    return (
        Survey.objects.filter(organisation_id=user.organisation_id, archived_at__isnull=not archived)
        .annotate(
            topic_count=Count("items", distinct=True),
            live_number=Max("versions__number"),
            response_count=Count("versions__responses", distinct=True),
        )
        .order_by("name")
    )


def survey_list_with_use(*, user: User, archived: bool = False) -> list[Survey]:
    """The surveys, each with what it is sent for: `is_default` (the organisation's) and `default_clients`."""
    surveys = list(survey_list(user=user, archived=archived))
    uses = DefaultSurvey.objects.filter(organisation_id=user.organisation_id).select_related("client")
    for survey in surveys:
        survey.is_default = False
        survey.default_clients = []
    by_pk = {survey.pk: survey for survey in surveys}
    for use in uses.order_by("client__name"):
        survey = by_pk.get(use.survey_id)
        if survey is None:
            continue
        if use.client is None:
            survey.is_default = True
        else:
            survey.default_clients.append(use.client.name)
    return surveys


def survey_get_for_user(*, user: User, pk: int) -> Survey:
    return get_object_or_404(Survey, pk=pk, organisation_id=user.organisation_id)


def survey_versions_with_counts(*, survey: Survey) -> QuerySet[SurveyVersion]:
    return survey.versions.annotate(
        response_count=Count("responses", filter=Q(responses__completed_at__isnull=False))
    ).order_by("-number")


def survey_live_version(*, survey: Survey) -> SurveyVersion | None:
    return survey.versions.order_by("-number").first()


def survey_version_for_client(*, organisation: Organisation, client: Client | None) -> SurveyVersion | None:
    """The live version of the client's default survey, else of the organisation's, in one query."""
    scope = Q(survey__defaults__client__isnull=True)
    if client is not None:
        scope |= Q(survey__defaults__client=client)
    return (
        SurveyVersion.objects.filter(
            scope, survey__defaults__organisation=organisation, survey__archived_at__isnull=True
        )
        .annotate(for_client=Case(When(survey__defaults__client__isnull=False, then=0), default=1))
        .order_by("for_client", "-number")
        .first()
    )


def live_survey_versions(*, organisation: Organisation) -> list[SurveyVersion]:
    """The live version of each active live-conversation survey (for follow-up calls)."""
    versions = []
    for survey in Survey.objects.filter(organisation=organisation, kind=SurveyKind.LIVE, archived_at__isnull=True):
        version = survey_live_version(survey=survey)
        if version:
            versions.append(version)
    return versions


def default_survey_for_organisation(*, organisation: Organisation) -> DefaultSurvey | None:
    return DefaultSurvey.objects.filter(organisation=organisation, client__isnull=True).select_related("survey").first()
