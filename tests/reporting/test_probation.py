"""The probation report: survival, check-in response, candidate NPS, the failing expectation, placements at
risk; each says its n, hides groups under five, follows the who-sees-what rule and links to what is behind it."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from checkins.models import CandidateFollowUp, CheckIn
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _placement(recruiter, client=None, *, outcome="", ended_days_ago=10, **fields):
    contact = factories.make_contact(organisation=recruiter.organisation, client=client) if client else None
    end = TODAY - datetime.timedelta(days=ended_days_ago)
    values = {
        "start_date": end - datetime.timedelta(days=60),
        "probation_end_date": end,
        "probation_outcome": outcome,
        "candidate_email": "c@example.nl",
    }
    if outcome == "left":
        values |= {"left_on": end - datetime.timedelta(days=5), "ended_by": "candidate"}
    return factories.make_placement(recruiter=recruiter, contact=contact, **(values | fields))


def _checkin(placement, *, stage="first_week", answered=True, **scores):
    now = timezone.now()
    return CheckIn.objects.create(
        organisation=placement.organisation,
        placement=placement,
        recruiter=placement.recruiter,
        stage=stage,
        planned_on=TODAY,
        send_after=now,
        status="sent",
        sent_at=now - datetime.timedelta(days=2),
        answered_at=now if answered else None,
        **scores,
    )


def test_survival_says_its_n_and_hides_small_groups(recruiter_client, recruiter, organisation):
    acme = factories.make_client(organisation=organisation, name="Acme B.V.")
    smit = factories.make_client(organisation=organisation, name="Smit & Zn.")
    for outcome in ["stayed"] * 4 + ["left"]:
        _placement(recruiter, acme, outcome=outcome)
    for outcome in ["stayed", "left"]:
        _placement(recruiter, smit, outcome=outcome)
    _placement(recruiter, smit)  # no outcome yet
    page = recruiter_client.get(reverse("reporting:probation")).content.decode()
    assert re.search(r'id="survival-rate"><a[^>]*>71%', page)  # 5 of 7
    assert "n = 7" in page and "1 zonder afloop" in page
    table = page[page.index("Per klant") :]
    assert ">80%</a>" in table  # Acme: 4 of 5
    assert "Smit &amp; Zn." in table and ">50%" not in table  # 2 outcomes: too few to show
    behind = recruiter_client.get(reverse("reporting:probation_placements") + "?outcome=left").content.decode()
    assert behind.count("Vertrokken tijdens de proeftijd") == 2


def test_a_team_lead_sees_the_team_and_no_answers(team_lead_client, recruiter, other_recruiter, organisation):
    mine = [_placement(recruiter, outcome="stayed") for _ in range(5)]
    _placement(other_recruiter, outcome="left")  # another team: not counted
    for n, placement in enumerate(mine):
        _checkin(placement, how_going=4, candidate_nps=9 if n < 3 else 5, message="Privé")
    page = team_lead_client.get(reverse("reporting:probation")).content.decode()
    assert re.search(r'id="survival-rate"><a[^>]*>100%', page)
    assert re.search(r'id="candidate-nps"><a[^>]*>\+20', page)  # 3 promoters, 2 detractors of 5
    assert re.search(r'id="checkin-response"><a[^>]*>100%', page)
    listed = team_lead_client.get(reverse("reporting:probation_checkins") + "?answered=yes").content.decode()
    assert listed.count("<tr>") == 6  # the header and five check-ins
    assert ">9<" not in listed and "Privé" not in listed  # the scores are the recruiter's


def test_the_candidate_nps_needs_five_answers(recruiter_client, recruiter):
    for _ in range(4):
        _checkin(_placement(recruiter), candidate_nps=10)
    page = recruiter_client.get(reverse("reporting:probation")).content.decode()
    assert 'id="candidate-nps">–' in page
    assert "4 antwoorden tot nu toe: te weinig om te tonen." in page


def test_the_expectation_that_fails_most_per_client(recruiter_client, recruiter, organisation):
    acme = factories.make_client(organisation=organisation, name="Acme B.V.")
    for workload in [1, 2, 2, 4, 5]:
        _checkin(_placement(recruiter, acme), how_going=3, exp_workload=workload, exp_team=2 if workload == 1 else 4)
    page = recruiter_client.get(reverse("reporting:probation")).content.decode()
    section = page[page.index("De verwachting die het vaakst tegenvalt") :]
    assert "De werkdruk" in section and "60% (3 / n = 5)" in section


def test_placements_at_risk_fewest_days_left_first(recruiter_client, recruiter):
    later = _placement(recruiter, ended_days_ago=-30, candidate_name="Later")
    sooner = _placement(recruiter, ended_days_ago=-5, candidate_name="Eerder")
    fine = _placement(recruiter, ended_days_ago=-3, candidate_name="Prima")
    _checkin(later, how_going=2)
    checkin = _checkin(sooner, how_going=4, call_requested=True)
    CandidateFollowUp.objects.create(
        organisation=sooner.organisation, placement=sooner, checkin=checkin, owner=recruiter, due_date=TODAY
    )
    _checkin(fine, how_going=5)
    page = recruiter_client.get(reverse("reporting:probation")).content.decode()
    section = page[page.index("Plaatsingen met risico") :]
    assert section.index("Eerder") < section.index("Later")
    assert "Prima" not in section
