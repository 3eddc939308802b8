import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from surveys import services
from surveys.models import NPS_QUESTION, SurveyItem, SurveyVersionTopic, Topic
from tests import factories

pytestmark = pytest.mark.django_db


def _ids(topics):
    return [t.pk for t in topics]


def test_the_standard_library_has_at_least_five_topics_per_dimension():
    for dimension in ("gedrag", "service", "resultaat"):
        topics = factories.standard_topics(dimension)
        assert len(topics) >= 5
        assert all(t.question_nl.endswith("?") and t.question_en.endswith("?") for t in topics)
    assert Topic.objects.filter(
        name_nl="Begeleiding van het selectieproces",
        question_nl="Hoe waardeert u de begeleiding van het selectieproces?",
    ).exists()


def test_an_online_survey_takes_ten_topics_and_refuses_an_eleventh(organisation, recruiter):
    topics = factories.standard_topics()
    survey = services.survey_create(
        organisation=organisation, user=recruiter, name="Tien", kind="online", topic_ids=_ids(topics[:10])
    )
    assert survey.items.count() == 10
    with pytest.raises(ValidationError) as error:
        services.survey_update(survey=survey, revision=survey.revision, topic_ids=_ids(topics[:11]))
    assert error.value.messages == [services.TOO_MANY_ONLINE % {"max": 10, "count": 11}]
    assert survey.items.count() == 10


def test_a_live_survey_refuses_a_sixth_topic(organisation, recruiter):
    with pytest.raises(ValidationError) as error:
        services.survey_create(
            organisation=organisation,
            user=recruiter,
            name="Live",
            kind="live",
            topic_ids=_ids(factories.standard_topics()[:6]),
        )
    assert error.value.messages == [services.TOO_MANY_LIVE % {"max": 5, "count": 6}]


@pytest.mark.parametrize(
    ("topic_ids", "code"),
    [([], "no_topics"), ("dup", "duplicate_topic"), ([999999], "unknown_topic"), ("archived", "unknown_topic")],
)
def test_bad_topic_lists_are_refused_with_a_clear_message(organisation, recruiter, topic_ids, code):
    first = factories.standard_topics()[0]
    if topic_ids == "dup":
        topic_ids = [first.pk, first.pk]
    elif topic_ids == "archived":
        own = services.topic_create(
            organisation=organisation,
            user=recruiter,
            dimension="gedrag",
            name_nl="Eigen",
            name_en="Own",
            question_nl="Vraag?",
            question_en="Question?",
        )
        services.topic_set_archived(topic=own, archived=True)
        topic_ids = [own.pk]
    with pytest.raises(ValidationError) as error:
        services.survey_create(organisation=organisation, user=recruiter, name="X", kind="online", topic_ids=topic_ids)
    assert error.value.code == code


def test_another_organisations_topic_cannot_be_used(organisation, recruiter, outsider):
    theirs = services.topic_create(
        organisation=outsider.organisation,
        user=outsider,
        dimension="gedrag",
        name_nl="Geheim",
        name_en="Secret",
        question_nl="V?",
        question_en="Q?",
    )
    with pytest.raises(ValidationError) as error:
        services.survey_create(
            organisation=organisation, user=recruiter, name="X", kind="online", topic_ids=[theirs.pk]
        )
    assert error.value.code == "unknown_topic"


def test_publishing_freezes_topics_order_wording_and_the_fixed_nps_question(organisation, recruiter):
    topics = factories.standard_topics()[:3]
    survey = services.survey_create(
        organisation=organisation, user=recruiter, name="S", kind="online", topic_ids=_ids(reversed(topics))
    )
    version = services.survey_publish(survey=survey, user=recruiter, revision=survey.revision)
    assert version.number == 1
    assert version.nps_question_nl == NPS_QUESTION["nl"]
    frozen = list(version.topics.values_list("topic_id", "position"))
    assert frozen == [(topics[2].pk, 1), (topics[1].pk, 2), (topics[0].pk, 3)]

    # Editing the topic wording afterwards changes nothing in the published version.
    Topic.objects.filter(pk=topics[2].pk).update(question_nl="Iets anders?")
    assert version.topics.get(position=1).question_nl != "Iets anders?"


def test_editing_a_published_survey_makes_a_new_draft_and_a_new_version_on_publish(organisation, recruiter):
    survey = factories.make_survey(organisation=organisation, user=recruiter)
    survey = services.survey_update(
        survey=survey, revision=survey.revision, topic_ids=_ids(factories.standard_topics()[3:5]), name="Nieuw"
    )
    assert survey.has_unpublished_changes
    assert survey.versions.get().name != "Nieuw"
    version = services.survey_publish(survey=survey, user=recruiter, revision=survey.revision)
    assert version.number == 2 and version.name == "Nieuw"
    assert survey.versions.count() == 2


def test_a_stale_form_is_refused_after_someone_else_published(organisation, recruiter):
    survey = factories.make_survey(organisation=organisation, user=recruiter, publish=False)
    seen_revision = survey.revision
    services.survey_publish(survey=survey, user=recruiter, revision=seen_revision)
    with pytest.raises(ValidationError) as error:
        services.survey_update(survey=survey, revision=seen_revision, topic_ids=_ids(factories.standard_topics()[:1]))
    assert error.value.code == "stale"
    assert survey.items.count() == 3


def test_an_archived_survey_cannot_be_edited_or_published(organisation, recruiter):
    survey = factories.make_survey(organisation=organisation, user=recruiter)
    survey = services.survey_archive(survey=survey)
    with pytest.raises(ValidationError) as error:
        services.survey_update(survey=survey, revision=survey.revision, topic_ids=_ids(factories.standard_topics()[:1]))
    assert error.value.code == "archived"


def test_a_default_survey_cannot_be_archived(organisation, recruiter):
    survey = factories.make_survey(organisation=organisation, user=recruiter)
    services.default_survey_set(organisation=organisation, survey=survey)
    with pytest.raises(ValidationError) as error:
        services.survey_archive(survey=survey)
    assert error.value.code == "still_default"


def test_duplicate_copies_the_draft_unpublished(organisation, recruiter):
    survey = factories.make_survey(organisation=organisation, user=recruiter)
    copy = services.survey_duplicate(survey=survey, user=recruiter, name="Kopie")
    assert list(copy.items.values_list("topic_id", flat=True)) == list(survey.items.values_list("topic_id", flat=True))
    assert not copy.versions.exists()


def test_only_a_published_online_survey_can_be_a_default(organisation, recruiter):
    draft = factories.make_survey(organisation=organisation, user=recruiter, publish=False)
    with pytest.raises(ValidationError):
        services.default_survey_set(organisation=organisation, survey=draft)
    live = factories.make_survey(organisation=organisation, user=recruiter, kind="live")
    with pytest.raises(ValidationError):
        services.default_survey_set(organisation=organisation, survey=live)


def test_the_database_refuses_an_eleventh_position_and_a_sixth_live_topic(organisation, recruiter):
    survey = factories.make_survey(organisation=organisation, user=recruiter, kind="live")
    version = survey.versions.get()
    topic = factories.standard_topics()[7]
    row = version.topics.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyVersionTopic.objects.create(
            version=version,
            topic=topic,
            kind="live",
            position=6,
            dimension=row.dimension,
            name_nl="x",
            name_en="x",
            question_nl="x",
            question_en="x",
            scale_nl=[],
            scale_en=[],
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyItem.objects.create(survey=survey, topic=topic, position=11)
