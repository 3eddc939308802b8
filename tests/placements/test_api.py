import pytest
from django.utils import timezone

from nps.models import Invitation
from placements.api_keys import api_key_create
from placements.models import ApiKey, Integration, Placement
from tests import factories

pytestmark = pytest.mark.django_db


def _payload(recruiter, **overrides):
    return {
        "external_id": "BH-1001",
        "client": "Acme Engineering B.V.",
        "hiring_manager": {"name": "Zoë de Vries", "email": "zoe@acme.nl", "language": "nl"},
        "recruiter_email": recruiter.email,
        "candidate_name": "Ruud van 't Hoff",
        "job_title": "Werkvoorbereider",
        "start_date": "2026-09-01",
    } | overrides


def test_create_then_the_same_request_again_changes_nothing(api, recruiter):
    first = api("post", "/placements", _payload(recruiter))
    assert first.status_code == 201, first.content
    assert first.json()["external_id"] == "BH-1001"
    updated_at = Placement.objects.get().updated_at
    second = api("post", "/placements", _payload(recruiter))
    assert second.status_code == 200
    assert Placement.objects.count() == 1
    assert Placement.objects.get().updated_at == updated_at


def test_an_update_by_external_id_changes_the_placement(api, recruiter):
    api("post", "/placements", _payload(recruiter))
    response = api("post", "/placements", _payload(recruiter, job_title="Projectleider"))
    assert response.status_code == 200
    assert Placement.objects.get().job_title == "Projectleider"


def test_closing_twice_makes_one_invitation_and_the_read_shows_its_status(api, recruiter, organisation):
    factories.make_default_survey(organisation=organisation, user=recruiter)
    api("post", "/placements", _payload(recruiter))
    assert api("post", "/placements/BH-1001/close").status_code == 200
    again = api("post", "/placements/BH-1001/close")
    assert again.status_code == 200
    assert Invitation.objects.count() == 1
    read = api("get", "/placements/BH-1001").json()
    assert read["status"] == "closed"
    assert read["survey"]["invitation_status"] == "scheduled"
    assert read["survey"]["answered"] is False


def test_the_openapi_schema_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/placements" in response.json()["paths"]


@pytest.mark.parametrize("auth", [None, "ep_wrong", "Basic abc"])
def test_without_a_valid_key_it_answers_401(api, recruiter, auth):
    response = api("post", "/placements", _payload(recruiter), auth=auth)
    assert response.status_code == 401
    assert not Placement.objects.exists()


def test_a_revoked_key_answers_401(api, key, recruiter):
    ApiKey.objects.update(revoked_at=timezone.now())
    assert api("get", "/placements/BH-1001").status_code == 401


def test_keys_are_stored_hashed(key):
    assert not ApiKey.objects.filter(key_hash=key).exists()
    assert ApiKey.objects.get().prefix == key[:10]


def test_a_record_of_another_integration_is_404(api, recruiter, organisation):
    other = Integration.objects.create(organisation=organisation, name="Other ATS")
    other_key = api_key_create(integration=other)
    api("post", "/placements", _payload(recruiter))
    assert api("get", "/placements/BH-1001", auth=other_key).status_code == 404
    assert api("post", "/placements/BH-1001/close", auth=other_key).status_code == 404


def test_an_unknown_placement_is_404_with_a_json_message(api):
    response = api("get", "/placements/NOPE")
    assert response.status_code == 404
    assert "NOPE" in response.json()["detail"]


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"start_date": "2026-02-30"}, 422),
        ({"start_date": 20260901}, 422),
        ({"hiring_manager": {"name": "X", "email": "not-an-email"}}, 422),
        ({"unexpected": "field"}, 422),
        ({"candidate_name": ""}, 422),
        ({"recruiter_email": "nobody@nowhere.test"}, 422),
        ({"external_id": "has space"}, 422),
        ({"probation_end_date": "2026-01-01"}, 422),
    ],
)
def test_bad_fields_get_422_with_a_clear_message(api, recruiter, change, status):
    response = api("post", "/placements", _payload(recruiter, **change))
    assert response.status_code == status, response.content
    assert response.json()["detail"]
    assert not Placement.objects.exists()


def test_a_missing_field_is_named(api, recruiter):
    payload = _payload(recruiter)
    del payload["job_title"]
    response = api("post", "/placements", payload)
    assert response.status_code == 422
    assert "job_title" in response.json()["detail"]


def test_invalid_json_is_400(api):
    response = api("post", "/placements", raw="{not json")
    assert response.status_code == 400
    assert response.json()["detail"]


def test_the_wrong_content_type_is_415(api, recruiter):
    response = api("post", "/placements", raw="external_id=1", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert "application/json" in response.json()["detail"]


def test_closing_a_cancelled_placement_is_409(api, recruiter):
    from placements.services import placement_cancel

    api("post", "/placements", _payload(recruiter))
    placement_cancel(placement=Placement.objects.get())
    assert api("post", "/placements/BH-1001/close").status_code == 409


def test_create_api_key_prints_a_key_once(organisation, capsys):
    from django.core.management import call_command

    call_command("create_api_key", "Recruitee")
    printed = capsys.readouterr().out.strip().splitlines()[-1]
    assert printed.startswith("ep_")
    assert Integration.objects.get(name="Recruitee").keys.count() == 1


def _key_queries(captured) -> int:
    return sum('"placements_apikey"' in q["sql"] and q["sql"].startswith("SELECT") for q in captured)


def test_a_key_in_use_is_looked_up_once_then_remembered(api, key, recruiter):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        assert api("post", "/placements", _payload(recruiter)).status_code == 201
    with CaptureQueriesContext(connection) as second:
        assert api("get", "/placements/BH-1001").status_code == 200
    assert (_key_queries(first.captured_queries), _key_queries(second.captured_queries)) == (1, 0)


def test_with_the_key_cache_off_every_request_checks_the_key(api, key, recruiter, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.API_KEY_CACHE_SECONDS = 0
    api("post", "/placements", _payload(recruiter))
    with CaptureQueriesContext(connection) as second:
        assert api("get", "/placements/BH-1001").status_code == 200
    assert _key_queries(second.captured_queries) == 1


def test_a_key_revoked_in_the_admin_stops_working_at_once(api, key, recruiter, admin_client):
    assert api("post", "/placements", _payload(recruiter)).status_code == 201  # the key is now cached
    changelist = "/admin/placements/apikey/"
    response = admin_client.post(changelist, {"action": "revoke", "_selected_action": [ApiKey.objects.get().pk]})
    assert response.status_code == 302
    assert ApiKey.objects.get().revoked_at is not None
    assert api("get", "/placements/BH-1001").status_code == 401


def test_a_key_revoked_on_its_own_page_stops_working_at_once(api, key, recruiter):
    assert api("post", "/placements", _payload(recruiter)).status_code == 201
    row = ApiKey.objects.get()
    row.revoked_at = timezone.now()
    row.save()  # what the admin's change form and the integration's key list do
    assert api("get", "/placements/BH-1001").status_code == 401


def test_a_deleted_integration_takes_its_cached_key_with_it(api, key, recruiter, integration):
    assert api("get", "/placements/BH-1001").status_code == 404  # authenticated, the key is now cached
    Placement.objects.filter(integration=integration).delete()
    integration.delete()
    assert api("get", "/placements/BH-1001").status_code == 401
