"""The pages recruiters and team leads work in: on a phone they fit the screen, pass axe and log no errors."""

import pytest

from nps.models import FollowUp
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PAGES = [
    "/placements/",
    "/placements/{placement}/",
    "/follow-ups/?scope=mine",
    "/follow-ups/?scope=mine&show=all",
    "/follow-ups/{followup}/",
    "/responses/{response}/",
    "/surveys/",
    "/surveys/topics/",
    "/clients/",
    "/hiring-managers/",
    "/placements/new/",
    "/placements/import/",
    "/placements/{open_placement}/edit/",
    "/placements/{open_placement}/close/",
    "/dashboard/responses/",
    "/clients/{client}/",
    "/clients/new/",
    "/hiring-managers/new/",
    "/surveys/{survey}/",
    "/surveys/{survey}/preview/",
    "/surveys/new/",
    "/surveys/topics/new/",
    "/dashboard/probation/",
    "/dashboard/probation/placements/",
    "/dashboard/probation/check-ins/",
    "/check-ins/follow-ups/",
    "/check-ins/follow-ups/{candidate_followup}/",
    "/placements/{candidate_placement}/",
]


@pytest.fixture
def work(organisation, recruiter):
    """One answered placement with a low score (a follow-up), one still open, and a hiring manager without any."""
    from tests.reporting.test_dashboard import _answer

    survey = factories.make_default_survey(organisation=organisation, user=recruiter)
    organisation.invitation_delay_days = 0
    organisation.quiet_period_days = 0
    organisation.save()
    response_id = _answer(recruiter, 3, 2)
    followup = FollowUp.objects.get(response=response_id)
    still_open = factories.make_placement(recruiter=recruiter, candidate_name="Noor Bakker")
    candidate = _candidate_call(recruiter)
    return {
        "candidate_followup": candidate.pk,
        "candidate_placement": candidate.placement_id,
        "placement": followup.response.invitation.links.get().placement_id,
        "followup": followup.pk,
        "response": response_id,
        "open_placement": still_open.pk,
        "client": still_open.client_id,
        "survey": survey.pk,
    }


@pytest.mark.parametrize("width", [375, 1280])
def test_every_working_page_fits_and_passes_axe(open_page, recruiter, work, width):
    browser_page = open_page(width=width)
    browser_page.login(recruiter.email)
    found = {}
    for path in PAGES:
        page = browser_page.go(path.format(**work))
        assert "/accounts/login/" not in page.url, path
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        found[path] = (overflow, browser_page.axe_violations())
    assert found == dict.fromkeys(PAGES, (0, [])), {p: v for p, v in found.items() if v != (0, [])}
    assert browser_page.errors == []


def test_an_empty_follow_up_list_says_so_without_an_empty_table(open_page, recruiter):
    browser_page = open_page(width=375)
    browser_page.login(recruiter.email)
    page = browser_page.go("/follow-ups/?scope=mine")
    assert page.locator("table").count() == 0
    assert "Hier staan geen opvolgingen" in page.content()
    assert browser_page.axe_violations() == []


def _candidate_call(recruiter):
    """A placed candidate whose first check-in was answered low: a call for the recruiter."""
    checkin = factories.make_checkin(recruiter=recruiter, contract_type="permanent")
    return factories.answer_checkin(checkin, how_going=2, exp_workload=1, message="Zwaar").followup
