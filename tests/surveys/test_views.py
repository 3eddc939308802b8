import pytest
from django.urls import reverse

from surveys.models import DefaultSurvey, Survey
from tests import factories

pytestmark = pytest.mark.django_db


def _post_builder(client, url, topics, action="save", revision=0, **fields):
    data = {
        "name": "Na de plaatsing",
        "kind": "online",
        "revision": revision,
        "action": action,
        "topics": [t.pk for t in topics],
    } | fields
    return client.post(url, data)


def test_a_recruiter_builds_and_publishes_a_survey(recruiter_client):
    topics = factories.standard_topics()[:4]
    response = _post_builder(recruiter_client, reverse("surveys:survey_create"), topics, action="publish")
    survey = Survey.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:survey_edit", args=[survey.pk])
    assert survey.versions.get().topics.count() == 4
    page = recruiter_client.get(response["Location"]).content.decode()
    assert "4</span>/<span data-limit>10" in page
    assert "Gepubliceerd als versie 1." in page


def test_the_builder_refuses_an_eleventh_topic_and_changes_nothing(recruiter_client, recruiter, organisation):
    survey = factories.make_survey(organisation=organisation, user=recruiter)
    response = _post_builder(
        recruiter_client,
        reverse("surveys:survey_edit", args=[survey.pk]),
        factories.standard_topics()[:11],
        revision=survey.revision,
    )
    assert response.status_code == 200
    assert "Een online enquête heeft maximaal 10 onderwerpen; u koos er 11." in response.content.decode()
    assert survey.items.count() == 3


def test_the_builder_without_javascript_moves_topics_up_and_down(recruiter_client):
    a, b, c = factories.standard_topics()[:3]
    response = _post_builder(recruiter_client, reverse("surveys:survey_create"), [a, b, c], action=f"up:{c.pk}")
    assert response.status_code == 200
    assert response.context["selected"] == [a, c, b]
    response = _post_builder(recruiter_client, reverse("surveys:survey_create"), [a, b], action=f"add:{c.pk}")
    assert response.context["selected"] == [a, b, c]
    assert not Survey.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "Dit veld is verplicht."),
        ({"name": "x" * 10000}, "Zorg dat deze waarde niet meer dan 120 tekens bevat"),
        ({"name": "a\x00b"}, "Null-tekens zijn niet toegestaan."),
        ({"kind": "weekly"}, "Selecteer een geldige keuze."),
    ],
)
def test_bad_input_gets_a_clear_message_and_saves_nothing(recruiter_client, fields, message):
    response = _post_builder(
        recruiter_client, reverse("surveys:survey_create"), factories.standard_topics()[:2], **fields
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Survey.objects.exists()


def test_a_non_numeric_topic_id_is_refused(recruiter_client):
    response = recruiter_client.post(
        reverse("surveys:survey_create"), {"name": "X", "kind": "online", "topics": ["1; DROP TABLE"], "action": "save"}
    )
    assert response.status_code == 200
    assert "bestaat niet of is gearchiveerd" in response.content.decode()
    assert not Survey.objects.exists()


def test_html_in_texts_is_shown_escaped(recruiter_client, recruiter, organisation):
    survey = factories.make_survey(
        organisation=organisation, user=recruiter, name="<script>alert(1)</script>", intro_nl="<b>hallo</b>"
    )
    for url in (
        reverse("surveys:survey_list"),
        reverse("surveys:survey_edit", args=[survey.pk]),
        reverse("surveys:survey_preview", args=[survey.pk]),
    ):
        page = recruiter_client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_stale_form_is_refused_with_a_message(recruiter_client, recruiter, organisation):
    survey = factories.make_survey(organisation=organisation, user=recruiter)
    response = _post_builder(
        recruiter_client,
        reverse("surveys:survey_edit", args=[survey.pk]),
        factories.standard_topics()[:1],
        revision=survey.revision - 1,
    )
    response = recruiter_client.get(response["Location"])
    assert "Iemand anders heeft deze enquête" in response.content.decode()
    assert survey.items.count() == 3


def test_the_preview_shows_the_questions_as_the_hiring_manager_sees_them(recruiter_client, recruiter, organisation):
    survey = factories.make_survey(organisation=organisation, user=recruiter)
    page = recruiter_client.get(reverse("surveys:survey_preview", args=[survey.pk])).content.decode()
    assert "Zou u de samenwerking met recruitment aanbevelen aan een collega?" in page
    assert page.index("nps-0") < page.index("topic_")
    english = recruiter_client.get(reverse("surveys:survey_preview", args=[survey.pk]) + "?lang=en").content.decode()
    assert "Would you recommend working with recruitment to a colleague?" in english


def test_another_organisation_gets_404(outsider_client, recruiter, organisation):
    survey = factories.make_survey(organisation=organisation, user=recruiter)
    for name in ("surveys:survey_edit", "surveys:survey_preview"):
        assert outsider_client.get(reverse(name, args=[survey.pk])).status_code == 404
    assert outsider_client.post(reverse("surveys:survey_archive", args=[survey.pk])).status_code == 404


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(reverse("surveys:survey_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_changes_need_post(recruiter_client, recruiter, organisation):
    survey = factories.make_survey(organisation=organisation, user=recruiter)
    for name in ("surveys:survey_publish", "surveys:survey_duplicate", "surveys:survey_archive"):
        assert recruiter_client.get(reverse(name, args=[survey.pk])).status_code == 405


def test_only_leads_set_the_organisation_default(recruiter_client, team_lead_client, recruiter, organisation):
    survey = factories.make_survey(organisation=organisation, user=recruiter)
    assert recruiter_client.post(reverse("surveys:default_set"), {"survey": survey.pk}).status_code == 403
    response = team_lead_client.post(reverse("surveys:default_set"), {"survey": survey.pk})
    assert response.status_code == 302
    assert DefaultSurvey.objects.get(client=None).survey == survey


def test_a_recruiter_sets_a_clients_default(recruiter_client, recruiter, organisation):
    survey = factories.make_survey(organisation=organisation, user=recruiter)
    client = factories.make_client(organisation=organisation)
    recruiter_client.post(reverse("surveys:client_default_set"), {"survey": survey.pk, "client": client.pk})
    assert DefaultSurvey.objects.get(client=client).survey == survey


def test_duplicate_and_archive(recruiter_client, recruiter, organisation):
    survey = factories.make_survey(organisation=organisation, user=recruiter)
    response = recruiter_client.post(reverse("surveys:survey_duplicate", args=[survey.pk]))
    copy = Survey.objects.exclude(pk=survey.pk).get()
    assert response["Location"] == reverse("surveys:survey_edit", args=[copy.pk])
    recruiter_client.post(reverse("surveys:survey_archive", args=[survey.pk]))
    survey.refresh_from_db()
    assert survey.archived_at is not None
    response = _post_builder(
        recruiter_client,
        reverse("surveys:survey_edit", args=[survey.pk]),
        factories.standard_topics()[:1],
        revision=survey.revision,
    )
    assert "gearchiveerd" in response.content.decode()


def test_a_recruiter_adds_an_own_topic(recruiter_client, organisation):
    response = recruiter_client.post(
        reverse("surveys:topic_create"),
        {
            "dimension": "service",
            "name_nl": "Flexibiliteit",
            "name_en": "Flexibility",
            "question_nl": "Hoe waardeert u de flexibiliteit?",
            "question_en": "How do you rate the flexibility?",
        },
    )
    assert response.status_code == 302
    assert organisation.topics.get().name_nl == "Flexibiliteit"
