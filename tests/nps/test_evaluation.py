"""Evaluation both ways: the recruiter rates the client, both sides' answers stay blind until both are in or 14
days have passed, and what each side expects next time becomes an agreement carried to the next placement."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from nps import services
from nps.models import ClientRating, Commitment, FollowUp
from placements.services import placement_close
from reporting import mirror
from tests import factories

pytestmark = pytest.mark.django_db

RATING = {"briefing": "2", "feedback_speed": "1", "reachability": "3", "decision_speed": "4"}


def _closed(recruiter, **fields):
    placement = factories.make_placement(recruiter=recruiter, **fields)
    return placement_close(placement=placement)


def test_the_recruiter_rates_the_client_and_what_they_needed_becomes_the_clients_agreement(recruiter, recruiter_client):
    placement = _closed(recruiter)
    url = reverse("nps:client_rating", args=[placement.pk])
    refused = recruiter_client.post(url, RATING | {"briefing": "7", "client_needs": ["faster_feedback"]})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert re.search(r'<input type="checkbox" name="client_needs" value="faster_feedback"[^>]*checked', body)
    assert re.search(r'name="feedback_speed" id="id_feedback_speed_0" value="1" checked', body)  # kept as chosen
    assert "Kies een geldige keuze" in body or "Selecteer een geldige keuze" in body
    assert not ClientRating.objects.exists() and not Commitment.objects.exists()
    saved = recruiter_client.post(
        url, RATING | {"client_needs": ["faster_feedback"], "client_needs_note": "Binnen 2 dagen reageren"}
    )
    assert saved.status_code == 302
    rating = ClientRating.objects.get()
    assert (rating.briefing, rating.feedback_speed, rating.client_needs) == (2, 1, ["faster_feedback"])
    commitment = Commitment.objects.get()
    assert (commitment.owner, commitment.source, commitment.text) == ("client", "rating", "Binnen 2 dagen reageren")


def test_only_the_placements_recruiter_rates_and_only_once_it_closed(
    recruiter, team_lead_client, other_recruiter_client, recruiter_client
):
    from django.core.exceptions import ValidationError

    placement = factories.make_placement(recruiter=recruiter)
    with pytest.raises(ValidationError):
        services.rating_record(placement=placement, user=recruiter, values=RATING)
    assert team_lead_client.get(reverse("nps:client_rating", args=[placement.pk])).status_code == 404
    assert other_recruiter_client.get(reverse("nps:client_rating", args=[placement.pk])).status_code == 404
    assert recruiter_client.get(reverse("nps:client_rating", args=[placement.pk])).status_code == 200


def test_the_call_carries_both_sides_expectations_and_they_show_at_the_next_placement(
    recruiter, recruiter_client, django_capture_on_commit_callbacks
):
    factories.make_default_survey(organisation=recruiter.organisation, user=recruiter)
    first = factories.make_placement(recruiter=recruiter)
    invitation, _token = factories.close_and_send(first, captured=django_capture_on_commit_callbacks)
    response_id = services.response_save(invitation_id=invitation.pk, nps_score=3, answers={}, comment="", submit=True)
    followup = FollowUp.objects.get(response=response_id)
    services.followup_update(
        followup=followup,
        user=recruiter,
        expectations="Twee kandidaten per week voorstellen",
        client_needs=["reachability"],
        client_needs_note="Terugbellen binnen een dag",
        status="done",
    )
    agency, client = Commitment.objects.order_by("owner")
    assert (agency.owner, agency.text) == ("agency", "Twee kandidaten per week voorstellen")
    assert (client.owner, client.needs, client.text) == ("client", ["reachability"], "Terugbellen binnen een dag")

    services.followup_update(followup=followup, user=recruiter, expectations="Drie kandidaten per week")
    agency.refresh_from_db()
    assert agency.text == "Drie kandidaten per week"  # an open agreement follows the notes
    assert Commitment.objects.count() == 2

    second = factories.make_placement(recruiter=recruiter, contact=first.contact)
    page = recruiter_client.get(reverse("placements:placement_detail", args=[second.pk])).content.decode()
    assert "Afspraken uit de vorige evaluatie" in page and "Drie kandidaten per week" in page
    mark = recruiter_client.post(
        reverse("nps:commitment_status", args=[agency.pk]),
        {"status": "kept", "next": reverse("placements:placement_detail", args=[second.pk])},
    )
    assert mark.status_code == 302 and mark["Location"] == reverse("placements:placement_detail", args=[second.pk])
    agency.refresh_from_db()
    assert (agency.status, agency.resolved_by) == ("kept", recruiter)
    bad = recruiter_client.post(reverse("nps:commitment_status", args=[client.pk]), {"status": "maybe"}, follow=True)
    assert "Kies nagekomen, niet nagekomen of niet meer van toepassing." in bad.content.decode()
    client.refresh_from_db()
    assert client.status == "open"
    away = recruiter_client.post(
        reverse("nps:commitment_status", args=[client.pk]), {"status": "kept", "next": "https://evil.example/"}
    )
    assert away["Location"] == "/"


def test_an_open_agreement_expires_after_two_more_placements(recruiter):
    placement = factories.make_placement(recruiter=recruiter)
    commitment = Commitment.objects.create(
        organisation=recruiter.organisation,
        client=placement.client,
        owner="agency",
        source="expectation",
        text="Sneller shortlists",
        recruiter=recruiter,
    )
    _closed(recruiter, contact=placement.contact)
    commitment.refresh_from_db()
    assert (commitment.status, commitment.placements_since) == ("open", 1)
    _closed(recruiter, contact=placement.contact)
    commitment.refresh_from_db()
    assert commitment.status == "expired"


def test_an_agreement_of_another_organisation_is_not_found(recruiter_client, outsider):
    placement = factories.make_placement(recruiter=outsider)
    theirs = Commitment.objects.create(
        organisation=outsider.organisation, client=placement.client, owner="client", source="need", recruiter=outsider
    )
    assert (
        recruiter_client.post(reverse("nps:commitment_status", args=[theirs.pk]), {"status": "kept"}).status_code == 404
    )
    theirs.refresh_from_db()
    assert theirs.status == "open"


def test_the_mirror_keeps_both_sides_blind_until_both_are_in_or_14_days_passed(
    recruiter, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 11, 2, 10, tzinfo=datetime.UTC))
    factories.make_default_survey(organisation=recruiter.organisation, user=recruiter)
    placement = factories.make_placement(recruiter=recruiter)
    invitation, _token = factories.close_and_send(placement, captured=django_capture_on_commit_callbacks)
    services.response_save(invitation_id=invitation.pk, nps_score=9, answers={}, comment="", submit=True)
    placement.refresh_from_db()
    client = placement.client

    def shown():
        data = mirror.mirror(user=recruiter, client=client, to=20264)
        column = data["columns"][-1]
        return column.responses, bool(column.ratings)

    assert shown() == (0, False)  # the client answered; the recruiter has not rated yet
    services.rating_record(placement=placement, user=recruiter, values=RATING)
    assert shown() == (1, True)  # both are in
    other = factories.make_placement(recruiter=recruiter, contact=placement.contact)
    other = placement_close(placement=other)
    services.rating_record(placement=other, user=recruiter, values=RATING)
    data = mirror.mirror(user=recruiter, client=client, to=20264)
    assert data["columns"][-1].ratings["briefing"] == (2.0, 1)  # the second waits for the client
    time_machine.move_to(timezone.now() + datetime.timedelta(days=15))
    data = mirror.mirror(user=recruiter, client=client, to=20264)
    assert data["columns"][-1].ratings["briefing"] == (2.0, 2)
