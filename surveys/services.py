"""Writes for the topic library and survey designs. Each use case is one transaction."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from placements.models import Client
from surveys.models import (
    DefaultSurvey,
    Survey,
    SurveyItem,
    SurveyKind,
    SurveyVersion,
    SurveyVersionTopic,
    Topic,
)

NO_TOPICS = _("Choose at least one topic.")
TOO_MANY_ONLINE = _("An online survey has at most %(max)d topics; you chose %(count)d.")
TOO_MANY_LIVE = _("A live conversation has at most %(max)d topics; you chose %(count)d.")
DUPLICATE_TOPIC = _("Each topic can be in a survey only once.")
UNKNOWN_TOPIC = _("One of the chosen topics does not exist or is archived. Reload the page and choose again.")
ARCHIVED_SURVEY = _("This survey is archived and cannot be changed. Duplicate it to make a new one.")
STALE_SURVEY = _(
    "Someone else changed or published this survey while you were editing. "
    "Your changes were not saved; the page now shows the current version."
)
NOT_PUBLISHED = _("Publish this survey before making it a default.")
STILL_DEFAULT = _("This survey is a default survey. Choose another default before archiving it.")
KIND_MISMATCH = _("Only an online survey can be sent by email.")


def _max_for(kind: str) -> int:
    return Survey(kind=kind).max_topics


def _check_topics(*, organisation: Organisation, kind: str, topic_ids: list[int]) -> list[Topic]:
    """Return the topics in order, or raise ValidationError with a clear message."""
    if not topic_ids:
        raise ValidationError(NO_TOPICS, code="no_topics")
    if len(set(topic_ids)) != len(topic_ids):
        raise ValidationError(DUPLICATE_TOPIC, code="duplicate_topic")
    limit = _max_for(kind)
    if len(topic_ids) > limit:
        message = TOO_MANY_LIVE if kind == SurveyKind.LIVE else TOO_MANY_ONLINE
        raise ValidationError(message, code="too_many_topics", params={"max": limit, "count": len(topic_ids)})
    topics = Topic.objects.filter(
        Q(organisation=organisation) | Q(organisation__isnull=True), pk__in=topic_ids, is_archived=False
    ).in_bulk()
    if len(topics) != len(topic_ids):
        raise ValidationError(UNKNOWN_TOPIC, code="unknown_topic")
    return [topics[pk] for pk in topic_ids]


@transaction.atomic
def topic_create(*, organisation: Organisation, user: User, **fields) -> Topic:
    """Add an organisation's own topic to the library."""
    topic = Topic(organisation=organisation, created_by=user, **fields)
    topic.full_clean()
    topic.save()
    return topic


@transaction.atomic
def topic_set_archived(*, topic: Topic, archived: bool) -> Topic:
    topic.is_archived = archived
    topic.save(update_fields=["is_archived"])
    return topic


def _write_items(survey: Survey, topics: list[Topic]) -> None:
    SurveyItem.objects.filter(survey=survey).delete()
    SurveyItem.objects.bulk_create(
        [SurveyItem(survey=survey, topic=topic, position=i) for i, topic in enumerate(topics, start=1)]
    )


@transaction.atomic
def survey_create(*, organisation: Organisation, user: User, topic_ids: list[int], **fields) -> Survey:
    """Create a survey design with its ordered topics (a draft, not yet published)."""
    survey = Survey(organisation=organisation, created_by=user, **fields)
    survey.full_clean()
    topics = _check_topics(organisation=organisation, kind=survey.kind, topic_ids=topic_ids)
    survey.save()
    _write_items(survey, topics)
    return survey


@transaction.atomic
def survey_update(*, survey: Survey, revision: int, topic_ids: list[int], **fields) -> Survey:
    """Save the draft. Refuses archived surveys and forms older than the last change."""
    locked = Survey.objects.select_for_update().get(pk=survey.pk)
    if locked.archived_at:
        raise ValidationError(ARCHIVED_SURVEY, code="archived")
    if locked.revision != revision:
        raise ValidationError(STALE_SURVEY, code="stale")
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean()
    topics = _check_topics(organisation=locked.organisation, kind=locked.kind, topic_ids=topic_ids)
    locked.revision += 1
    locked.has_unpublished_changes = True
    locked.save()
    _write_items(locked, topics)
    return locked


@transaction.atomic
def survey_publish(*, survey: Survey, user: User, revision: int) -> SurveyVersion:
    """Freeze the draft as a new version: topics, order and wording."""
    locked = Survey.objects.select_for_update().get(pk=survey.pk)
    if locked.archived_at:
        raise ValidationError(ARCHIVED_SURVEY, code="archived")
    if locked.revision != revision:
        raise ValidationError(STALE_SURVEY, code="stale")
    items = list(locked.items.select_related("topic").order_by("position"))
    _check_topics(organisation=locked.organisation, kind=locked.kind, topic_ids=[i.topic_id for i in items])
    number = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = SurveyVersion.objects.create(
        survey=locked,
        number=number,
        kind=locked.kind,
        name=locked.name,
        intro_nl=locked.intro_nl,
        intro_en=locked.intro_en,
        open_question_nl=locked.open_question_nl,
        open_question_en=locked.open_question_en,
        published_at=timezone.now(),
        published_by=user,
    )
    SurveyVersionTopic.objects.bulk_create(
        [
            SurveyVersionTopic(
                version=version,
                topic=item.topic,
                kind=locked.kind,
                position=item.position,
                dimension=item.topic.dimension,
                name_nl=item.topic.name_nl,
                name_en=item.topic.name_en,
                question_nl=item.topic.question_nl,
                question_en=item.topic.question_en,
                scale_nl=item.topic.scale_nl,
                scale_en=item.topic.scale_en,
            )
            for item in items
        ]
    )
    locked.has_unpublished_changes = False
    locked.revision += 1
    locked.save(update_fields=["has_unpublished_changes", "revision", "updated_at"])
    return version


@transaction.atomic
def survey_duplicate(*, survey: Survey, user: User, name: str) -> Survey:
    copy = Survey.objects.create(
        organisation=survey.organisation,
        created_by=user,
        name=name[:120],
        kind=survey.kind,
        intro_nl=survey.intro_nl,
        intro_en=survey.intro_en,
        open_question_nl=survey.open_question_nl,
        open_question_en=survey.open_question_en,
    )
    _write_items(copy, [item.topic for item in survey.items.select_related("topic").order_by("position")])
    return copy


@transaction.atomic
def survey_archive(*, survey: Survey) -> Survey:
    locked = Survey.objects.select_for_update().get(pk=survey.pk)
    if DefaultSurvey.objects.filter(survey=locked).exists():
        raise ValidationError(STILL_DEFAULT, code="still_default")
    locked.archived_at = locked.archived_at or timezone.now()
    locked.revision += 1
    locked.save(update_fields=["archived_at", "revision", "updated_at"])
    return locked


@transaction.atomic
def default_survey_set(*, organisation: Organisation, survey: Survey, client: Client | None = None) -> DefaultSurvey:
    """Make `survey` the one sent for `client` (or for the whole organisation when client is None)."""
    if survey.archived_at:
        raise ValidationError(ARCHIVED_SURVEY, code="archived")
    if survey.kind != SurveyKind.ONLINE:
        raise ValidationError(KIND_MISMATCH, code="kind")
    if not survey.versions.exists():
        raise ValidationError(NOT_PUBLISHED, code="not_published")
    lookup = {"organisation": organisation, "client": client}
    try:
        default, _created = DefaultSurvey.objects.update_or_create(**lookup, defaults={"survey": survey})
    except IntegrityError:  # a simultaneous first assignment won the race
        default = DefaultSurvey.objects.get(**lookup)
        default.survey = survey
        default.save(update_fields=["survey"])
    return default


@transaction.atomic
def default_survey_clear(*, organisation: Organisation, client: Client) -> None:
    DefaultSurvey.objects.filter(organisation=organisation, client=client).delete()
