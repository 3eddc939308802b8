"""A placed candidate on a phone: from the emailed check-in to the recruiter's call, confidential throughout."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from checkins.models import CandidateFollowUp, CheckIn
from checkins.services import CHECKINS
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def emailed_checkin(organisation, recruiter, live_server, settings):
    settings.SITE_URL = live_server.url
    placement = factories.make_placement(
        recruiter=recruiter,
        candidate_name="Ruud van 't Hoff",
        candidate_email="ruud@example.nl",
        contract_type="permanent",
        start_date=timezone.localdate() - timezone.timedelta(days=4),
        probation_end_date=timezone.localdate() + timezone.timedelta(days=55),
    )
    checkin = CheckIn.objects.create(
        organisation=organisation,
        placement=placement,
        recruiter=recruiter,
        stage="first_week",
        planned_on=timezone.localdate(),
        send_after=timezone.now(),
    )
    assert CHECKINS.send(checkin.pk) == "sent"
    return mail.outbox[-1]


def test_a_low_check_in_from_the_email_becomes_the_recruiters_call(open_page, emailed_checkin, recruiter, organisation):
    html = emailed_checkin.alternatives[0].content
    score_link = re.search(r'href="([^"]+\?score=2)"', html).group(1)
    phone = open_page(width=375)
    page = phone.go(score_link)
    assert "/s/c/" in page.url and "score=2" in page.url  # the token left the URL
    assert page.locator("#how_going-2").is_checked()
    confidential = page.locator("#confidential")
    assert "nooit naar" in confidential.inner_text()
    assert confidential.bounding_box()["y"] < page.locator("#q-how_going").bounding_box()["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert phone.axe_violations() == []
    page.locator("label[for='exp_workload-1']").click()
    page.fill("#message", "De werkdruk is veel hoger dan in het gesprek leek.")
    page.locator("label[for='call_requested']").click()
    page.get_by_role("button", name="Versturen").click()
    page.wait_for_load_state("networkidle")
    assert "Bedankt!" in page.content() and "belt je uiterlijk" in page.content()
    assert phone.axe_violations() == []
    assert phone.errors == []
    followup = CandidateFollowUp.objects.get()
    assert followup.call_requested and followup.low_how_going and followup.low_expectations == ["exp_workload"]
    assert followup.due_date < followup.placement.probation_end_date

    desk = open_page(width=1280)
    desk.login(recruiter.email)
    page = desk.go("/check-ins/follow-ups/")
    page.locator("a", has_text="Ruud van 't Hoff").click()
    page.wait_for_load_state("networkidle")
    assert "De werkdruk is veel hoger dan in het gesprek leek." in page.content()
    assert "Mag de klant het horen?" in page.content()
    assert desk.axe_violations() == []
    assert desk.errors == []


@pytest.mark.parametrize("width", [375, 1280])
def test_the_check_in_page_passes_axe_and_works_with_the_keyboard(open_page, emailed_checkin, width):
    link = re.search(r"(http://\S+/s/[A-Za-z0-9_-]+/)", emailed_checkin.body).group(1)
    browser_page = open_page(width=width)
    page = browser_page.go(link)
    assert browser_page.axe_violations() == []
    page.locator("#how_going-1").focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert page.locator("#how_going-4").is_checked()
    page.locator("#message").focus()
    page.keyboard.type("Prima start")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    assert page.locator("#call_requested").is_checked()
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Bedankt!" in page.content()
    checkin = CheckIn.objects.get()
    assert (checkin.how_going, checkin.message, checkin.call_requested) == (4, "Prima start", True)
    assert browser_page.errors == []


def test_the_unsubscribe_and_closed_pages_pass_axe_at_375(open_page, emailed_checkin):
    from placements.services import placement_record_outcome

    link = re.search(r"(http://\S+/s/[A-Za-z0-9_-]+/)", emailed_checkin.body).group(1)
    phone = open_page(width=375)
    page = phone.go(link + "unsubscribe/")
    assert "Geen check-ins meer" in page.content()
    assert phone.axe_violations() == []
    page = phone.go(link)
    placement = CheckIn.objects.get().placement
    placement_record_outcome(
        placement=placement, outcome="left", left_on=placement.start_date, ended_by="candidate", reason="other_job"
    )
    page.reload()
    assert "gesloten" in page.content()
    assert phone.axe_violations() == []
    assert [e for e in phone.errors if "410" not in e] == []
