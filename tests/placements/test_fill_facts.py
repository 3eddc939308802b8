"""The facts beside the client's opinions on a placement: when the search started, candidates introduced, the
client's days to feedback; from the form, the API and the import, with one rule."""

import pytest

from placements import importer
from tests.placements.test_api import _payload

pytestmark = pytest.mark.django_db


def test_the_fill_facts_come_in_from_the_form_the_api_and_the_import_with_one_rule(recruiter, api, recruiter_client):
    bad = api("post", "/placements", _payload(recruiter) | {"search_started_on": "2030-01-01"})
    assert (
        bad.status_code == 422
        and "search_started_on: The search cannot start after the start date." in bad.json()["detail"]
    )
    good = api(
        "post", "/placements", _payload(recruiter) | {"search_started_on": "2026-07-01", "candidates_introduced": 5}
    )
    assert good.status_code == 201 and good.json()["candidates_introduced"] == 5
    header = "klant;hiring_manager;e-mail;recruiter;kandidaat;functie;startdatum;start werving;kandidaten voorgesteld"
    late = f"Acme;Zoë;zoe@acme.nl;{recruiter.email};Ruud;Monteur;01-03-2027;01-04-2027;4"
    many = f"Acme;Zoë;zoe@acme.nl;{recruiter.email};Ruud;Monteur;01-03-2027;01-02-2027;veel"
    result = importer.parse(f"{header}\r\n{late}\r\n{many}".encode(), organisation=recruiter.organisation)
    messages = [str(m) for _n, m in result.errors]
    assert any("niet na de startdatum" in m for m in messages), messages
    assert any("veel is geen getal" in m for m in messages), messages
