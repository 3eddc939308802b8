"""Strict input at the API's edge: every fault a JSON answer with `detail`, each status in the schema."""

import json
import re

import pytest

from placements.models import Placement
from tests.placements.test_api import _payload

pytestmark = pytest.mark.django_db


def test_a_key_given_twice_is_a_400_naming_it(api, recruiter):
    body = json.dumps(_payload(recruiter))[:-1] + ', "candidate_name": "Someone else"}'
    response = api("post", "/placements", raw=body)
    assert response.status_code == 400
    assert "'candidate_name' appears more than once" in response.json()["detail"]
    assert not Placement.objects.exists()


def test_a_key_given_twice_in_a_nested_object_is_refused_too(api, recruiter):
    body = json.dumps(_payload(recruiter)).replace('"language": "nl"', '"language": "nl", "email": "x@y.nl"')
    response = api("post", "/placements", raw=body)
    assert response.status_code == 400
    assert "'email'" in response.json()["detail"]


def test_a_body_over_the_limit_is_a_json_413(api, recruiter, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api("post", "/placements", _payload(recruiter, job_title="x" * 2000))
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert "larger than 1000 bytes" in response.json()["detail"]


def test_invalid_json_says_what_is_wrong(api):
    response = api("post", "/placements", raw='{"external_id": ')
    assert response.status_code == 400
    assert response.json()["detail"].startswith("The body is not valid JSON")


def test_the_schema_lists_every_status_each_operation_returns(client):
    schema = client.get("/api/v1/openapi.json").json()
    statuses = {
        (method.upper(), path): set(operation["responses"])
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    }
    assert statuses == {
        ("POST", "/api/v1/placements"): {"200", "201", "400", "401", "403", "413", "415", "422", "429"},
        ("POST", "/api/v1/placements/{external_id}/close"): {
            *("200", "400", "401", "403", "404", "409", "413", "415", "429"),
        },
        ("GET", "/api/v1/placements/{external_id}"): {"200", "401", "403", "404", "429"},
        ("POST", "/api/v1/placements/{external_id}/probation-outcome"): {
            *("200", "400", "401", "403", "404", "413", "415", "422", "429"),
        },
        ("POST", "/api/v1/placements/{external_id}/departure"): {
            *("200", "400", "401", "403", "404", "413", "415", "422", "429"),
        },
        ("POST", "/api/v1/vacancies"): {"200", "201", "400", "401", "403", "413", "415", "422", "429"},
        ("GET", "/api/v1/vacancies/{external_id}"): {"200", "401", "403", "404", "429"},
        ("POST", "/api/v1/vacancies/{external_id}/candidates"): {
            *("200", "400", "401", "403", "404", "413", "415", "422", "429"),
        },
        ("GET", "/api/v1/responses"): {"200", "400", "401", "403", "422", "429"},
        ("GET", "/api/v1/follow-ups"): {"200", "400", "401", "403", "422", "429"},
        ("GET", "/api/v1/summaries"): {"200", "400", "401", "403", "422", "429"},
    }


@pytest.mark.parametrize(
    ("call", "status"),
    [
        (lambda api, r: api("post", "/placements", raw="{"), 400),
        (lambda api, r: api("post", "/placements", _payload(r), auth="wrong"), 401),
        (lambda api, r: api("post", "/placements", raw="a=b", content_type="text/plain"), 415),
        (lambda api, r: api("post", "/placements", _payload(r, job_title="")), 422),
        (lambda api, r: api("get", "/placements/nope"), 404),
    ],
)
def test_every_error_status_answers_json_with_detail(api, recruiter, call, status):
    response = call(api, recruiter)
    assert response.status_code == status
    assert response.json()["detail"]


def test_the_api_docs_are_for_logged_in_staff_and_load_nothing_from_elsewhere(client, recruiter_client):
    assert client.get("/api/v1/docs")["Location"].startswith("/accounts/login/")
    page = recruiter_client.get("/api/v1/docs").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(s.startswith("/static/") for s in sources), sources
    assert "swagger-ui-bundle" in page
