"""A departure on a placement: the last working day, who ended it and why, recorded from the page, the API and
the import with one set of rules. It is the same fact as the probation outcome: on or before the end of
probation it is "left during probation", after it the probation was survived."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from checkins.models import CheckIn
from outreach.models import OutboxStatus
from placements import importer
from placements.models import Placement
from placements.services import placement_record_outcome, placement_update
from tests import factories

pytestmark = pytest.mark.django_db

D = datetime.date


def _placement(recruiter, **fields):
    return factories.make_placement(
        recruiter=recruiter,
        start_date=D(2026, 9, 1),
        probation_end_date=D(2026, 10, 31),
        probation_end_agreed=True,
        **fields,
    )


def test_a_departure_in_and_after_probation_from_the_page(recruiter_client, recruiter):
    placement = _placement(recruiter)
    url = reverse("placements:placement_outcome", args=[placement.pk])
    after = {"probation_outcome": "left", "left_on": "2027-02-14", "ended_by": "candidate", "leave_reason": "pay"}
    assert recruiter_client.post(url, after).status_code == 302
    placement.refresh_from_db()
    assert (placement.probation_outcome, placement.left_on, placement.leave_reason) == ("stayed", D(2027, 2, 14), "pay")
    assert placement.left_in_probation is False
    page = recruiter_client.get(reverse("placements:placement_detail", args=[placement.pk])).content.decode()
    assert "Salaris of arbeidsvoorwaarden" in page
    # the form shows what is stored: the candidate has left
    assert 'value="left" class="form-check-input" id="id_probation_outcome_1" required checked' in page

    during = after | {"left_on": "2026-10-31", "ended_by": "employer", "leave_reason": "performance"}
    assert recruiter_client.post(url, during).status_code == 302
    placement.refresh_from_db()
    assert (placement.probation_outcome, placement.left_in_probation) == ("left", True)
    assert "Vertrokken tijdens de proeftijd" in recruiter_client.get(
        reverse("placements:placement_detail", args=[placement.pk])
    ).content.decode("utf-8").replace("&#x27;", "'")

    stayed = {"probation_outcome": "stayed"}
    assert recruiter_client.post(url, stayed).status_code == 302  # a correction: the candidate did not leave
    placement.refresh_from_db()
    assert (placement.probation_outcome, placement.left_on, placement.ended_by, placement.leave_reason) == (
        "stayed",
        None,
        "",
        "",
    )


def test_a_departure_without_its_reason_is_refused_and_keeps_what_was_typed(recruiter_client, recruiter):
    placement = _placement(recruiter)
    url = reverse("placements:placement_outcome", args=[placement.pk])
    refused = recruiter_client.post(url, {"probation_outcome": "left", "left_on": "2026-10-02", "ended_by": "both"})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "de reden" in body
    assert 'value="2026-10-02"' in body and 'value="both" selected' in body
    placement.refresh_from_db()
    assert placement.left_on is None and placement.probation_outcome == ""


def test_a_moved_end_of_probation_moves_the_departure_in_or_out_of_it(recruiter):
    placement = _placement(recruiter)
    placement = placement_record_outcome(
        placement=placement, outcome="left", left_on=D(2026, 11, 10), ended_by="candidate", reason="other_job"
    )
    assert placement.probation_outcome == "stayed"
    placement = placement_update(placement=placement, probation_end_date=D(2026, 11, 30))
    assert (placement.probation_outcome, placement.left_in_probation) == ("left", True)


def test_a_departure_stops_the_check_ins(recruiter):
    sent = factories.make_checkin(
        recruiter=recruiter, start_date=D(2026, 9, 1), probation_end_date=D(2026, 10, 31), probation_end_agreed=True
    )
    placement = sent.placement
    checkin = CheckIn.objects.create(
        organisation=placement.organisation,
        placement=placement,
        recruiter=recruiter,
        stage="halfway",
        planned_on=D(2026, 9, 30),
        send_after=timezone.now() + datetime.timedelta(days=1),
    )
    placement_record_outcome(
        placement=placement, outcome="left", left_on=D(2027, 3, 1), ended_by="candidate", reason="other_job"
    )
    checkin.refresh_from_db()
    assert checkin.status == OutboxStatus.CANCELLED


def test_a_departure_through_the_api(api, recruiter, integration):
    _placement(recruiter, integration=integration, external_id="BH-9")
    body = {"left_on": "2026-10-15", "ended_by": "candidate", "reason": "workload"}
    response = api("post", "/placements/BH-9/departure", body)
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["left_on"], data["left_in_probation"], data["probation_outcome"], data["leave_reason"]) == (
        "2026-10-15",
        True,
        "left",
        "workload",
    )
    bad = api("post", "/placements/BH-9/departure", body | {"reason": "bored", "left_on": "2026-08-01"})
    assert bad.status_code == 422
    detail = bad.json()["detail"]
    assert "reason: bored is not a reason for leaving" in detail
    assert "left_on: The last working day cannot be before the start date." in detail
    assert Placement.objects.get(external_id="BH-9").leave_reason == "workload"  # nothing of the refusal stored
    # The older probation-outcome call records the same fact; a reason left out is "unknown".
    response = api(
        "post",
        "/placements/BH-9/probation-outcome",
        {"outcome": "left", "left_on": "2026-12-01"} | {"ended_by": "employer"},
    )
    assert response.status_code == 200, response.content
    assert (response.json()["leave_reason"], response.json()["probation_outcome"]) == ("unknown", "stayed")


HEADER = "klant;hiring_manager;e-mail;recruiter;kandidaat;functie;startdatum;einde proeftijd;functiegroep"
HEADER += ";laatste werkdag;opgezegd door;reden vertrek"


def _rows(recruiter, *tails):
    return "\r\n".join(
        [HEADER]
        + [
            f"Acme;Zoë de Vries;zoe@acme.nl;{recruiter.email};Ruud van 't Hoff;Monteur;01-03-2027;30-04-2027;{tail}"
            for tail in tails
        ]
    ).encode()


def test_departures_come_in_by_import_with_dutch_words(recruiter):
    result = importer.parse(
        _rows(recruiter, "Techniek;15-04-2027;werknemer;werkdruk", "Techniek;;;"), organisation=recruiter.organisation
    )
    assert result.ok, result.errors
    left, stays = importer.import_rows(organisation=recruiter.organisation, rows=result.rows)
    left.refresh_from_db()
    assert (left.left_on, left.ended_by, left.leave_reason, left.probation_outcome, left.job_family) == (
        D(2027, 4, 15),
        "candidate",
        "workload",
        "left",
        "Techniek",
    )
    stays.refresh_from_db()
    assert (stays.left_on, stays.probation_outcome) == (None, "")


def test_a_bad_departure_in_an_import_names_its_row_and_stores_nothing(recruiter):
    result = importer.parse(
        _rows(recruiter, "Techniek;15-04-2027;werknemer;verveeld", "Techniek;15-02-2027;werkgever;functioneren"),
        organisation=recruiter.organisation,
    )
    messages = [(row, str(m)) for row, m in result.errors]
    assert any(row == 2 and "verveeld is geen reden van vertrek" in m for row, m in messages), messages
    assert any(row == 3 and "niet voor de startdatum" in m for row, m in messages), messages
    assert not Placement.objects.exists()
