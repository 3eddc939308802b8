"""Vacancies and their introduced candidates from an ATS: one call upserts up to 1,000 candidates, all or nothing,
with an error per faulty row."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Organisation
from placements.api_keys import api_key_create
from placements.models import Applicant, Integration, Placement, Vacancy
from tests import factories

pytestmark = pytest.mark.django_db


def _vacancy(recruiter, **overrides):
    return {
        "external_id": "VAC-1",
        "client": "Van 't Hoff & Zn",
        "recruiter_email": recruiter.email,
        "title": "Monteur",
        "opened_on": "2026-09-01",
    } | overrides


def _candidate(n, **overrides):
    return {
        "external_id": f"C-{n}",
        "name": f"Kandidaat {n}",
        "email": f"kandidaat{n}@example.nl",
        "stage": "introduced",
        "introduced_on": "2026-09-10",
    } | overrides


@pytest.fixture
def vacancy(api, recruiter):
    response = api("post", "/vacancies", _vacancy(recruiter))
    assert response.status_code == 201, response.content
    return Vacancy.objects.get(external_id="VAC-1")


def test_a_vacancy_is_created_then_updated_by_external_id(api, recruiter, vacancy):
    again = api("post", "/vacancies", _vacancy(recruiter, title="Monteur elektra", status="cancelled"))
    assert again.status_code == 422 and "closed_on" in again.json()["detail"]
    again = api(
        "post", "/vacancies", _vacancy(recruiter, title="Monteur elektra", status="cancelled", closed_on="2026-10-01")
    )
    assert again.status_code == 200
    vacancy.refresh_from_db()
    assert (vacancy.title, vacancy.status) == ("Monteur elektra", "cancelled")
    assert vacancy.closed_on == datetime.date(2026, 10, 1)
    assert Vacancy.objects.count() == 1


def test_a_thousand_candidates_in_one_call_with_the_closure_rate(api, vacancy):
    candidates = [_candidate(n) for n in range(1000)]
    for c in candidates[:400]:
        c |= {"stage": "rejected", "told_on": "2026-09-20"}
    response = api("post", f"/vacancies/{vacancy.external_id}/candidates", {"candidates": candidates})
    assert response.status_code == 200, response.content[:500]
    body = response.json()
    assert body["created"] == 1000 and body["vacancy"]["introduced"] == 1000
    assert body["vacancy"]["answered"] == 400 and body["vacancy"]["closure_rate"] == 40
    # The same call again changes nothing.
    body = api("post", f"/vacancies/{vacancy.external_id}/candidates", {"candidates": candidates}).json()
    assert body["unchanged"] == 1000 and body["created"] == 0
    read = api("get", f"/vacancies/{vacancy.external_id}").json()
    assert read["closure_rate"] == 40


def test_more_than_a_thousand_is_refused(api, vacancy):
    response = api(
        "post", f"/vacancies/{vacancy.external_id}/candidates", {"candidates": [_candidate(n) for n in range(1001)]}
    )
    assert response.status_code == 422
    assert not Applicant.objects.exists()


def test_bad_rows_each_get_their_error_and_nothing_of_the_call_is_stored(api, vacancy):
    api("post", f"/vacancies/{vacancy.external_id}/candidates", {"candidates": [_candidate(1)]})
    candidates = [
        _candidate(1, stage="interviewed"),  # fine on its own: an update
        _candidate(2, stage="hired-ish"),
        _candidate(3, stage="rejected", told_on="2026-09-01"),
        _candidate(4, stage="offered", told_on="2026-09-20"),
        _candidate(5, email="not an address"),
        _candidate(6),
        _candidate(6, name="Twice"),
        _candidate(7, kept_on_file_until="2099-01-01"),
    ]
    response = api("post", f"/vacancies/{vacancy.external_id}/candidates", {"candidates": candidates})
    assert response.status_code == 422
    errors = {(e["row"], e["field"]) for e in response.json()["errors"]}
    assert errors == {
        (2, "stage"),
        (3, "told_on"),
        (4, "told_on"),
        (5, "email"),
        (7, "external_id"),
        (8, "kept_on_file_until"),
    }
    messages = " ".join(e["message"] for e in response.json()["errors"])
    assert "'hired-ish' is not a stage" in messages and "before the introduction (2026-09-10)" in messages
    assert "appears more than once (also row 6)" in messages
    assert list(Applicant.objects.values_list("external_id", "stage")) == [("C-1", "introduced")]


def test_a_cv_or_notes_are_not_accepted(api, vacancy):
    response = api(
        "post", f"/vacancies/{vacancy.external_id}/candidates", {"candidates": [_candidate(1, cv="base64…")]}
    )
    assert response.status_code == 422 and "cv" in response.json()["detail"]
    assert not Applicant.objects.exists()


def test_another_organisations_vacancy_is_not_found_and_nothing_is_stored(api, client, vacancy):
    other = Integration.objects.create(organisation=Organisation.objects.create(name="Other"), name="ATS")
    key = api_key_create(integration=other)
    response = client.post(
        f"/api/v1/vacancies/{vacancy.external_id}/candidates",
        data={"candidates": [_candidate(1)]},
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 404 and "No vacancy" in response.json()["detail"]
    assert not Applicant.objects.exists()


def test_hired_and_withdrawn_know_where_they_stand_and_a_hire_fills_the_vacancy(api, vacancy):
    candidates = [
        _candidate(1, stage="hired", stage_on="2026-10-01"),
        _candidate(2, stage="withdrawn", stage_on="2026-09-15"),
        _candidate(3, stage="rejected"),  # no told_on: still waiting for the answer
    ]
    api("post", f"/vacancies/{vacancy.external_id}/candidates", {"candidates": candidates})
    told = dict(Applicant.objects.values_list("external_id", "told_on"))
    assert told == {"C-1": datetime.date(2026, 10, 1), "C-2": datetime.date(2026, 9, 15), "C-3": None}
    vacancy.refresh_from_db()
    assert (vacancy.status, vacancy.closed_on, vacancy.answered) == ("filled", datetime.date(2026, 10, 1), 2)


def test_a_rejection_after_an_interview_is_remembered(api, vacancy):
    path = f"/vacancies/{vacancy.external_id}/candidates"
    api("post", path, {"candidates": [_candidate(1, stage="interviewed")]})
    api("post", path, {"candidates": [_candidate(1, stage="rejected", told_on="2026-09-30")]})
    assert Applicant.objects.get().interviewed


def test_a_placement_links_to_its_vacancy_of_the_same_client(api, recruiter, vacancy):
    payload = {
        "external_id": "P-1",
        "client": "Van 't Hoff & Zn",
        "hiring_manager": {"name": "Hanna", "email": "hanna@vanthoff.nl"},
        "recruiter_email": recruiter.email,
        "candidate_name": "Ruud",
        "job_title": "Monteur",
        "start_date": "2026-11-01",
        "vacancy": "VAC-1",
    }
    response = api("post", "/placements", payload)
    assert response.status_code == 201, response.content
    assert response.json()["vacancy"] == "VAC-1"
    placement = Placement.objects.get()
    assert placement.vacancy == vacancy and placement.days_to_fill == 61  # from the vacancy's opening
    other_client = api("post", "/vacancies", _vacancy(recruiter, external_id="VAC-2", client="Elders BV")).json()
    assert other_client["client"] == "Elders BV"
    wrong = api("post", "/placements", payload | {"vacancy": "VAC-2"})
    assert wrong.status_code == 422 and "another client" in wrong.json()["detail"]
    unknown = api("post", "/placements", payload | {"vacancy": "VAC-404"})
    assert unknown.status_code == 422 and "No vacancy" in unknown.json()["detail"]


def test_future_dates_are_refused(api, vacancy):
    future = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    response = api(
        "post", f"/vacancies/{vacancy.external_id}/candidates", {"candidates": [_candidate(1, introduced_on=future)]}
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "introduced_on"


def test_the_recruiter_must_be_of_the_organisation(api, recruiter, vacancy):
    stranger = factories.make_user()
    response = api("post", "/vacancies", _vacancy(recruiter, recruiter_email=stranger.email))
    assert response.status_code == 422
