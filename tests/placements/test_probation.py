"""The candidate and the contract on a placement, and the end of probation derived from art. 7:652 BW: through
the form, the API and the import alike, with one answer for bad input and nothing stored."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from placements import importer, probation
from placements.models import Placement
from tests import factories
from tests.placements.test_api import _payload

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.mark.parametrize(
    ("contract", "months", "start", "end"),
    [
        ("permanent", None, D(2027, 3, 1), D(2027, 4, 30)),  # 2 months
        ("permanent", None, D(2027, 1, 31), D(2027, 3, 30)),  # to the end of a shorter month
        ("fixed_term", 6, D(2027, 3, 1), None),  # 6 months or less: none
        ("fixed_term", 7, D(2027, 3, 1), D(2027, 3, 31)),  # more than 6, less than 24: 1 month
        ("fixed_term", 23, D(2027, 3, 1), D(2027, 3, 31)),
        ("fixed_term", 24, D(2027, 3, 1), D(2027, 4, 30)),  # 2 years or more: 2 months
        ("fixed_term_open", None, D(2027, 3, 1), D(2027, 3, 31)),  # no calendar end date: 1 month
        ("", None, D(2027, 3, 1), None),  # not known: nothing derived
    ],
)
def test_the_legal_maximum_of_each_contract(contract, months, start, end):
    assert probation.legal_end(start, contract, months) == end


def _form(placement_client, recruiter, **fields):
    contact = factories.make_contact(organisation=recruiter.organisation)
    data = {
        "client": contact.client_id,
        "contact": contact.pk,
        "candidate_name": "Ruud van 't Hoff",
        "candidate_email": "ruud@example.nl",
        "job_title": "Monteur",
        "start_date": "2027-03-01",
        "contract_type": "permanent",
    }
    return placement_client.post(reverse("placements:placement_create"), data | fields)


def test_the_form_derives_the_end_and_the_page_says_how(recruiter_client, recruiter):
    response = _form(recruiter_client, recruiter, candidate_phone="06 12345678")
    placement = Placement.objects.get()
    assert response.status_code == 302
    assert (placement.probation_end_date, placement.probation_end_agreed) == (D(2027, 4, 30), False)
    assert (placement.candidate_email, placement.candidate_language) == ("ruud@example.nl", "nl")
    page = recruiter_client.get(reverse("placements:placement_detail", args=[placement.pk])).content.decode()
    assert "30 april 2027" in page
    assert "Het wettelijk maximum bij dit contract (vast): 2 maanden" in page


def test_a_legal_end_moves_with_the_start_and_an_agreed_one_stays(recruiter_client, recruiter):
    _form(recruiter_client, recruiter)
    placement = Placement.objects.get()
    edit = reverse("placements:placement_edit", args=[placement.pk])
    form = recruiter_client.get(edit).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data |= {"client": placement.client_id, "contact": placement.contact_id, "start_date": "2027-04-01"}
    assert recruiter_client.post(edit, data).status_code == 302
    placement.refresh_from_db()
    assert placement.probation_end_date == D(2027, 5, 31)
    # A collective agreement allows three months: the agreed date is kept, and the page says it is beyond the law.
    assert recruiter_client.post(edit, data | {"probation_end_date": "2027-06-30"}).status_code == 302
    assert recruiter_client.post(edit, data | {"probation_end_date": "2027-06-30", "start_date": "2027-04-02"})
    placement.refresh_from_db()
    assert (placement.probation_end_date, placement.probation_end_agreed) == (D(2027, 6, 30), True)
    page = recruiter_client.get(reverse("placements:placement_detail", args=[placement.pk])).content.decode()
    assert "Afgesproken: later dan het wettelijk maximum" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"contract_type": "fixed_term"}, "Een contract voor bepaalde tijd heeft een looptijd in maanden nodig."),
        ({"contract_type": "fixed_term", "contract_months": "6", "probation_end_date": "2027-03-15"}, "6 maanden"),
        ({"start_date": "2027-03-01", "probation_end_date": "2027-02-01"}, "niet voor de startdatum"),
        ({"candidate_email": "ruud-at-example"}, "geldig e-mailadres"),
    ],
)
def test_the_form_refuses_bad_terms_and_keeps_what_was_typed(recruiter_client, recruiter, fields, message):
    response = _form(recruiter_client, recruiter, candidate_phone="06 12345678", **fields)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'value="06 12345678"' in page
    assert not Placement.objects.exists()


def test_the_api_takes_the_candidate_and_the_contract(api, recruiter):
    body = _payload(
        recruiter,
        candidate_email="Ruud@Example.nl",
        candidate_phone="+31 6 1234 5678",
        candidate_language="en",
        contract_type="fixed_term",
        contract_months=12,
    )
    response = api("post", "/placements", body)
    assert response.status_code == 201, response.content
    out = response.json()
    assert (out["probation_end_date"], out["probation_end_basis"]) == ("2026-09-30", "legal")
    assert (out["candidate_email"], out["candidate_language"]) == ("ruud@example.nl", "en")
    updated_at = Placement.objects.get().updated_at
    assert api("post", "/placements", body).status_code == 200
    assert Placement.objects.get().updated_at == updated_at, "the same request again changes nothing"
    moved = api("post", "/placements", body | {"start_date": "2026-10-01"}).json()
    assert moved["probation_end_date"] == "2026-10-31"
    agreed = api("post", "/placements", body | {"probation_end_date": "2026-11-30"}).json()
    assert (agreed["probation_end_date"], agreed["probation_end_basis"]) == ("2026-11-30", "agreed")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"contract_type": "zzp"}, "contract_type: zzp is not a contract type"),
        ({"contract_type": "fixed_term"}, "contract_months: A fixed-term contract needs its length"),
        ({"contract_type": "permanent", "contract_months": 12}, "contract_months: Only a fixed-term contract"),
        ({"probation_end_date": "2026-08-01"}, "probation_end_date: The end of probation cannot be before"),
        ({"candidate_language": "de"}, "candidate_language: The candidate's language must be nl or en."),
    ],
)
def test_the_api_refuses_bad_terms_and_stores_nothing(api, recruiter, fields, message):
    response = api("post", "/placements", _payload(recruiter, **fields))
    assert response.status_code == 422
    assert message in response.json()["detail"]
    assert not Placement.objects.exists()


def test_the_api_refuses_a_candidate_email_that_is_not_an_address(api, recruiter):
    response = api("post", "/placements", _payload(recruiter, candidate_email="ruud-at-example"))
    assert response.status_code == 422
    assert "candidate_email" in response.json()["detail"]
    assert not Placement.objects.exists()


HEADER = "klant;hiring_manager;e-mail;recruiter;kandidaat;functie;startdatum;e-mail kandidaat;contract;contractduur"


def _import(recruiter, *rows):
    lines = [HEADER] + [
        f"Acme;Zoë de Vries;zoe@acme.nl;{recruiter.email};Ruud van 't Hoff;Monteur;01-03-2027;{row}" for row in rows
    ]
    return importer.parse("\r\n".join(lines).encode(), organisation=recruiter.organisation)


def test_the_import_reads_dutch_contract_words(recruiter):
    result = _import(recruiter, "ruud@example.nl;vast;", "ruud2@example.nl;bepaalde tijd;12")
    assert result.ok, result.errors
    placements = importer.import_rows(organisation=recruiter.organisation, rows=result.rows)
    assert [(p.contract_type, p.contract_months, p.probation_end_date) for p in placements] == [
        ("permanent", None, D(2027, 4, 30)),
        ("fixed_term", 12, D(2027, 3, 31)),
    ]
    assert Placement.objects.get(candidate_email="ruud@example.nl").probation_end_agreed is False


def test_the_import_refuses_bad_terms_with_the_same_message(recruiter_client, recruiter):
    with translation.override("en"):
        result = _import(
            recruiter, "ruud@example.nl;zzp;", "ruud-at-example;vast;", "r@example.nl;bepaalde tijd;twaalf"
        )
    messages = [str(m) for _n, m in result.errors]
    assert any("zzp is not a contract type" in m for m in messages), messages
    assert any("ruud-at-example is not a valid email address" in m for m in messages), messages
    assert any("contract_months twaalf" in m for m in messages), messages
    content = ("\r\n".join([HEADER, f"Acme;Z;zoe@acme.nl;{recruiter.email};R;M;01-03-2027;r@x.nl;zzp;"])).encode()
    upload = SimpleUploadedFile("p.csv", content, content_type="text/csv")
    preview = recruiter_client.post(reverse("placements:import"), {"file": upload}, follow=True)
    assert "zzp is geen contractvorm" in preview.content.decode()
    assert not Placement.objects.exists()


def test_the_outcome_of_probation_from_the_page_and_the_api(recruiter_client, recruiter, api, integration):
    placement = factories.make_placement(
        recruiter=recruiter, integration=integration, external_id="BH-7", probation_end_date=datetime.date(2026, 10, 31)
    )
    url = reverse("placements:placement_outcome", args=[placement.pk])
    refused = recruiter_client.post(url, {"probation_outcome": "left", "ended_by": "candidate"})
    assert refused.status_code == 400
    assert "Vul de laatste werkdag in" in refused.content.decode()
    assert 'value="candidate" selected' in refused.content.decode()
    placement.refresh_from_db()
    assert placement.probation_outcome == ""
    left = {"probation_outcome": "left", "left_on": "2026-10-01", "ended_by": "candidate", "leave_reason": "workload"}
    assert recruiter_client.post(url, left).status_code == 302
    placement.refresh_from_db()
    assert (placement.probation_outcome, placement.ended_by, placement.outcome_recorded_by) == (
        "left",
        "candidate",
        recruiter,
    )
    response = api("post", "/placements/BH-7/probation-outcome", {"outcome": "stayed"})
    assert response.status_code == 200, response.content
    assert (response.json()["probation_outcome"], response.json()["left_on"]) == ("stayed", None)
    bad = api("post", "/placements/BH-7/probation-outcome", {"outcome": "left"})
    assert bad.status_code == 422
    assert "last working day" in bad.json()["detail"]
    assert api("post", "/placements/BH-7/probation-outcome", {"outcome": "gone"}).status_code == 422
    placement.refresh_from_db()
    assert placement.probation_outcome == "stayed"
