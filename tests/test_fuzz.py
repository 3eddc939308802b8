"""Fuzzing with hypothesis: the answer form, the survey builder, the CSV import and the API.

No input makes a 500, and after every example the database holds only valid
rows: every row passes its model's validation, scores are in range, no
response is half-stored, and no text holds a NUL character. The normal suite
runs the small fixed-seed profile; HYPOTHESIS_PROFILE=large runs many more.
"""

import functools
import io

import pytest
import schemathesis
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from evalportal.wsgi import application
from nps.models import Answer, Response
from placements import applicants, importer
from placements.api_keys import api_key_create
from placements.models import Integration
from surveys.models import SurveyVersionTopic
from tests import factories

pytestmark = pytest.mark.django_db

APPS = {"accounts", "placements", "surveys", "nps"}
# Text as people and programs send it: any Unicode, control characters, NUL, very long.
TEXT = st.one_of(st.text(max_size=300), st.sampled_from(["", "\x00", '=HYPERLINK("x")', "ä" * 6000, "0" * 30]))


def assert_database_valid():
    """Every row of the project's models passes validation; no NUL anywhere; no partial responses."""
    for model in apps.get_models():
        if model._meta.app_label not in APPS or model._meta.managed is False:
            continue
        text_fields = [
            f.attname for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)
        ]
        for row in model.objects.all()[:500]:
            for name in text_fields:
                assert "\x00" not in (getattr(row, name) or ""), (model.__name__, name)
            try:
                row.full_clean(validate_unique=False, validate_constraints=True)
            except ValidationError as error:
                # Only password and computed fields are left blank by design; anything else is a bug.
                fields = set(error.message_dict) - {"password"}
                assert not fields, (model.__name__, row.pk, error.message_dict)
    for response in Response.objects.filter(completed_at__isnull=False):
        assert response.nps_score is not None and 0 <= response.nps_score <= 10
    assert not Answer.objects.filter(models.Q(score__lt=1) | models.Q(score__gt=5)).exists()


# The answer form ------------------------------------------------------------


@pytest.fixture
def answer_page(client, organisation, recruiter, django_capture_on_commit_callbacks):
    factories.make_default_survey(organisation=organisation, user=recruiter)
    placement = factories.make_placement(recruiter=recruiter)
    invitation, token = factories.close_and_send(placement, captured=django_capture_on_commit_callbacks)
    location = client.get(reverse("outreach:token_entry", args=[token]))["Location"]
    topics = list(SurveyVersionTopic.objects.filter(version=invitation.survey_version))
    return client, location, topics


SCORE = st.one_of(st.integers(-3, 14).map(str), TEXT, st.sampled_from(["１０", "3.5", "1e1", " 4 ", ""]))


@given(data=st.data())
def test_no_answer_form_input_makes_a_500_or_an_invalid_row(answer_page, data):
    client, location, topics = answer_page
    post = {
        "nps": data.draw(SCORE),
        "comment": data.draw(TEXT),
        "action": data.draw(st.sampled_from(["submit", "save", "", "delete", "\x00"])),
    }
    for topic in topics:
        if data.draw(st.booleans()):
            post[f"topic_{topic.pk}"] = data.draw(SCORE)
    post[data.draw(st.sampled_from(["topic_999999", "topic_x", "extra"]))] = data.draw(SCORE)
    response = client.post(location, post)
    assert response.status_code < 500
    assert_database_valid()


# The survey builder ---------------------------------------------------------


@given(data=st.data())
def test_no_survey_builder_input_makes_a_500_or_an_invalid_row(recruiter_client, data):
    topic_ids = [t.pk for t in factories.standard_topics()]
    post = {
        "name": data.draw(TEXT),
        "kind": data.draw(st.sampled_from(["online", "live", "", "x"])),
        "intro_nl": data.draw(TEXT),
        "intro_en": data.draw(TEXT),
        "open_question_nl": data.draw(TEXT),
        "open_question_en": data.draw(TEXT),
        "revision": data.draw(st.one_of(st.integers(-2, 5).map(str), TEXT)),
        "action": data.draw(st.sampled_from(["save", "publish", "up:0", "down:3", "up:x", ""])),
        "topics": data.draw(
            st.lists(st.one_of(st.sampled_from(topic_ids).map(str), TEXT, st.just("99999999")), max_size=14)
        ),
    }
    response = recruiter_client.post(reverse("surveys:survey_create"), post)
    assert response.status_code < 500
    assert_database_valid()


# The CSV import -------------------------------------------------------------

HEADER = "klant;hiring_manager;e-mail;taal;recruiter;kandidaat;functie;startdatum;extern_id"


@given(data=st.data())
def test_no_import_file_makes_a_500_or_an_invalid_row(recruiter, organisation, data):
    cell = st.one_of(TEXT.map(lambda s: s.replace("\n", " ")[:120]), st.sampled_from(["01-09-2026", "2026-02-30"]))
    rows = data.draw(
        st.lists(
            st.lists(cell, min_size=7, max_size=10).map(
                lambda r: r[:2] + [data.draw(st.sampled_from(["a@b.nl", "x", ""]))] + r[2:]
            ),
            max_size=6,
        )
    )
    sep = data.draw(st.sampled_from([";", ",", "\t"]))
    text = HEADER.replace(";", sep) + "\r\n" + "\r\n".join(sep.join(r) for r in rows)
    encoding = data.draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    content = data.draw(st.one_of(st.just(text.encode(encoding, errors="replace")), st.binary(max_size=400)))
    result = importer.parse(content, organisation=organisation)
    if result.ok:
        importer.import_rows(organisation=organisation, rows=result.rows)
    assert_database_valid()


def test_the_import_pages_refuse_a_random_upload_with_a_message(recruiter_client):
    response = recruiter_client.post(
        reverse("placements:import"), {"file": io.BytesIO(b"\x00\x01\x02PK\x03\x04garbage")}
    )
    assert response.status_code in (200, 302)


# The API, from its served OpenAPI schema (schemathesis) -----------------------


@functools.cache
def api_schema():
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def wsgi_in_test_transaction():
    """Serve the WSGI app inside the test's transaction, as Django's test client does.

    The plain handler closes the database connection after each request, which
    on PostgreSQL would close the connection the test's transaction lives on.
    """
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_key(organisation, recruiter, wsgi_in_test_transaction):
    factories.make_default_survey(organisation=organisation, user=recruiter)
    integration = Integration.objects.create(organisation=organisation, name="ATS")
    placement = factories.make_placement(recruiter=recruiter, integration=integration, external_id="E-1")
    applicants.vacancy_upsert(
        integration=integration,
        external_id="E-1",
        client=placement.client,
        recruiter=recruiter,
        title="Monteur",
        opened_on=placement.start_date,
    )
    return api_key_create(integration=integration)


@pytest.fixture
def read_key(organisation, api_key):
    """A BI tool's read-only key, beside the ATS's (whose placement and survey give the reads something)."""
    return api_key_create(integration=Integration.objects.create(organisation=organisation, name="BI", access="read"))


READ_OPERATIONS = {("GET", "/responses"), ("GET", "/follow-ups"), ("GET", "/summaries")}
API_OPERATIONS = [
    ("POST", "/placements"),
    ("POST", "/placements/{external_id}/close"),
    ("GET", "/placements/{external_id}"),
    ("POST", "/placements/{external_id}/probation-outcome"),
    ("POST", "/placements/{external_id}/departure"),
    ("POST", "/vacancies"),
    ("GET", "/vacancies/{external_id}"),
    ("POST", "/vacancies/{external_id}/candidates"),
    *sorted(READ_OPERATIONS),
]


@pytest.mark.parametrize(("method", "path"), API_OPERATIONS)
@given(data=st.data())
def test_the_api_never_fails_on_any_request_its_schema_allows(api_key, read_key, recruiter, method, path, data):
    # Cases drawn from the served schema (schemathesis); its pytest plugin is not used, only its strategies.
    case = data.draw(api_schema()["/api/v1" + path][method].as_strategy())
    if isinstance(case.body, dict) and data.draw(st.booleans()):
        case.body["recruiter_email"] = recruiter.email  # so some requests get past the lookups into the services
    if case.path_parameters and data.draw(st.booleans()):
        case.path_parameters["external_id"] = "E-1"  # a record that exists, to close and read
    key = read_key if (method, path) in READ_OPERATIONS else api_key
    response = case.call(headers={"Authorization": f"Bearer {key}"})
    assert response.status_code < 500, response.text
    assert response.headers["content-type"][0].startswith("application/json"), (response.status_code, case.body)
    assert_database_valid()


def test_the_schema_fuzzer_reaches_the_services():
    """Every operation of the served schema is fuzzed above; a new one must join the list."""
    operations = {(op.ok().method.upper(), op.ok().path) for op in api_schema().get_all_operations()}
    assert operations == {(method, "/api/v1" + path) for method, path in API_OPERATIONS}


def test_nul_characters_are_refused_everywhere_with_a_message(recruiter_client, api_key):
    api = Client(headers={"Authorization": f"Bearer {api_key}"})
    response = api.post(
        "/api/v1/placements",
        {
            "external_id": "N-1",
            "client": "Acme\x00",
            "hiring_manager": {"name": "A", "email": "a@b.nl"},
            "recruiter_email": "x@y.nl",
            "candidate_name": "B",
            "job_title": "C",
            "start_date": "2026-09-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    page = recruiter_client.post(reverse("placements:client_create"), {"name": "Acme\x00"})
    assert page.status_code == 200
    assert_database_valid()
