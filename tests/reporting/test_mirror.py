"""The mirror and the client review report: both sides with n and the facts, no internal notes, and a shared
read-only link that expires and can be revoked."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nps import services
from nps.models import Commitment, FollowUp
from reporting.models import ReportShare
from tests import factories

pytestmark = pytest.mark.django_db

RATING = {"briefing": "2", "feedback_speed": "1", "reachability": "3", "decision_speed": "4"}


@pytest.fixture
def evaluated(recruiter, django_capture_on_commit_callbacks):
    """A placement evaluated by both sides (the client low, with a call), with its facts."""
    factories.make_default_survey(organisation=recruiter.organisation, user=recruiter)
    placement = factories.make_placement(
        recruiter=recruiter,
        search_started_on=datetime.date(2026, 7, 1),
        start_date=datetime.date(2026, 9, 1),
        candidates_introduced=6,
        client_feedback_days=4,
    )
    invitation, _token = factories.close_and_send(placement, captured=django_capture_on_commit_callbacks)
    response_id = services.response_save(invitation_id=invitation.pk, nps_score=4, answers={}, comment="", submit=True)
    placement.refresh_from_db()
    services.rating_record(placement=placement, user=recruiter, values=RATING)
    followup = FollowUp.objects.get(response=response_id)
    services.followup_update(
        followup=followup,
        user=recruiter,
        went_well="INTERNE NOTITIE: de klant was kortaf",
        outcome="INTERNE UITKOMST",
        expectations="Elke vrijdag een update",
        status="done",
    )
    return placement


def _quarter():
    today = timezone.localdate()
    return f"{today.year}-{(today.month - 1) // 3 + 1}"


def test_the_mirror_shows_both_sides_with_n_and_the_facts(evaluated, recruiter_client, team_lead_client):
    url = reverse("reporting:client_mirror", args=[evaluated.client_id]) + f"?quarter={_quarter()}"
    page = recruiter_client.get(url).content.decode()
    assert "De klant over het bureau" in page and "Het bureau over de klant" in page
    assert re.search(r"Klant-NPS</th>[^\n]*?-100 <span class=\"small text-body-secondary\">n=1</span>", page)
    assert re.search(r"Duidelijkheid van de briefing</th>[^\n]*?2,0 <span[^>]*>n=1</span>", page)
    assert re.search(r"Doorlooptijd in dagen \(mediaan\)</th>[^\n]*?62 <span[^>]*>n=1</span>", page)
    assert "1 open afspraak" in page
    assert team_lead_client.get(url).status_code == 200


def test_the_review_report_holds_no_internal_notes_and_is_shared_by_a_link_that_can_be_revoked(
    evaluated, recruiter_client
):
    review = reverse("reporting:client_review", args=[evaluated.client_id])
    body = recruiter_client.get(review + f"?quarter={_quarter()}").content.decode()
    assert "Elke vrijdag een update" in body and "Open" in body
    assert "INTERNE" not in body
    made = recruiter_client.post(
        reverse("reporting:review_share", args=[evaluated.client_id]), {"quarter": _quarter()}, follow=True
    )
    link = re.search(r'id="new-link" type="text" readonly value="(http://testserver(/r/[^"]+))"', made.content.decode())
    assert link, "the link is shown once"
    again = recruiter_client.get(review).content.decode()
    assert link.group(2) not in again  # and only once: only its hash is stored
    share = ReportShare.objects.get()
    assert share.expires_at - share.created_at > datetime.timedelta(days=29)

    client_side = Client()
    shared = client_side.get(link.group(2))
    text = shared.content.decode()
    assert shared.status_code == 200
    assert "Elke vrijdag een update" in text and "INTERNE" not in text
    # one recruiter's ratings of the client are never shown to the client
    assert re.search(r"Duidelijkheid van de briefing</th>(<td class=\"text-end\">–</td>)+</tr>", text)
    assert "Sanne" not in text  # nor the recruiters' names

    recruiter_client.post(reverse("reporting:share_revoke", args=[share.pk]))
    gone = client_side.get(link.group(2))
    assert gone.status_code == 410 and "verlopen of ingetrokken" in gone.content.decode()
    assert client_side.get("/r/not-a-token/").status_code == 404


def test_an_expired_link_gets_the_friendly_page(evaluated, recruiter):
    from outreach import tokens

    token = tokens.new_token()
    ReportShare.objects.create(
        organisation=recruiter.organisation,
        client=evaluated.client,
        quarter=20264,
        token_hash=tokens.token_hash(token),
        created_by=recruiter,
        expires_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    response = Client().get(reverse("reporting:shared_review", args=[token]))
    assert response.status_code == 410


def test_the_dashboard_shows_the_fill_facts_beside_resultaat(evaluated, recruiter_client):
    page = recruiter_client.get(reverse("reporting:dashboard") + "?period=12m").content.decode()
    facts = re.search(r'id="fill-facts">(.*?)</p>', page, re.S).group(1)
    assert "<strong>62</strong>" in facts and "<strong>6,0</strong>" in facts and "n=1" in facts


def test_the_mirror_and_the_report_cost_a_fixed_number_of_queries(
    evaluated, recruiter_client, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(name):
        with CaptureQueriesContext(connection) as captured:
            assert recruiter_client.get(reverse(name, args=[evaluated.client_id])).status_code == 200
        return len(captured)

    names = ("reporting:client_mirror", "reporting:client_review")
    for name in names:
        queries(name)  # the session's first requests store what later ones only read
    before = {name: queries(name) for name in names}
    for days in (3, 40, 100):  # more placements, answers, ratings and agreements of the same client
        placement = factories.make_placement(
            recruiter=evaluated.recruiter,
            contact=evaluated.contact,
            search_started_on=datetime.date(2026, 6, 1),
            candidates_introduced=days % 7,
            client_feedback_days=days % 9,
        )
        from placements.services import placement_close

        placement = placement_close(placement=placement)
        services.rating_record(placement=placement, user=evaluated.recruiter, values=RATING)
    assert {name: queries(name) for name in before} == before
    assert before["reporting:client_mirror"] <= 25 and before["reporting:client_review"] <= 30


def test_commitments_and_ratings_of_another_client_stay_there(evaluated, recruiter, outsider_client):
    assert outsider_client.get(reverse("reporting:client_mirror", args=[evaluated.client_id])).status_code == 404
    assert Commitment.objects.filter(client=evaluated.client).count() == 1


def test_older_answers_come_from_the_summaries_and_agree_with_the_raw_rows(
    recruiter, django_capture_on_commit_callbacks, time_machine
):
    from django.core.management import call_command

    from reporting import mirror

    factories.make_default_survey(organisation=recruiter.organisation, user=recruiter)
    contact = factories.make_contact(organisation=recruiter.organisation)
    time_machine.move_to(datetime.datetime(2026, 10, 5, 10, tzinfo=datetime.UTC))
    for score in (9, 10, 3):
        placement = factories.make_placement(recruiter=recruiter, contact=contact)
        invitation, _token = factories.close_and_send(placement, captured=django_capture_on_commit_callbacks)
        services.response_save(invitation_id=invitation.pk, nps_score=score, answers={}, comment="", submit=True)
        time_machine.move_to(timezone.now() + datetime.timedelta(days=31))  # past the quiet period
    call_command("rebuild_summaries", verbosity=0)
    time_machine.move_to(datetime.datetime(2026, 12, 21, 10, tzinfo=datetime.UTC))
    column = mirror.mirror(user=recruiter, client=contact.client, to=20264)["columns"][-1]
    assert (column.responses, column.nps) == (3, 33)  # two of them from the day summaries, one read raw
