"""A hiring manager on a phone: from the emailed link to the recruiter's follow-up."""

import re

import pytest
from django.core import mail

from nps.models import FollowUp, Response
from placements.services import placement_close
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def emailed_link(organisation, recruiter, live_server, settings):
    settings.SITE_URL = live_server.url
    from nps import services

    factories.make_default_survey(
        organisation=organisation,
        user=recruiter,
        topics=factories.standard_topics()[:4],
        open_question_nl="Wat kan beter?",
    )
    organisation.invitation_delay_days = 0
    organisation.save()
    placement = factories.make_placement(recruiter=recruiter, candidate_name="Zoë de Vries")
    placement_close(placement=placement)
    services.invitation_send(invitation_id=placement.invitation_link.invitation_id)
    return mail.outbox[-1]


def test_a_low_score_from_the_email_becomes_the_recruiters_follow_up(open_page, emailed_link, recruiter):
    html = emailed_link.alternatives[0].content
    score_link = re.search(r'href="([^"]+\?score=3)"', html).group(1)
    phone = open_page(width=375)
    page = phone.go(score_link)
    assert "?score=3" in page.url and "/s/a/" in page.url  # the token left the URL
    assert page.locator("#nps-3").is_checked()
    assert "Zoë de Vries" in page.content()
    assert phone.axe_violations() == []
    for fieldset in page.locator("fieldset[id^='q-topic_']").all():
        fieldset.locator("label").nth(1).click()  # score 2 on every topic
    page.fill("#id_comment", "De terugkoppeling duurde lang.")
    page.locator("#save-status", has_text="Opgeslagen").wait_for()
    page.locator("button[value=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "Bedankt voor uw antwoorden" in page.content()
    assert phone.axe_violations() == []
    assert f"belt {recruiter.get_full_name()} u binnen" in page.content()  # the call is coming: nothing to ask for
    assert page.locator("button", has_text="Bel mij").count() == 0
    assert phone.errors == []

    response = Response.objects.get()
    assert response.nps_score == 3 and response.answers.count() == 4
    followup = FollowUp.objects.get()
    assert followup.low_nps and followup.low_topics

    desk = open_page(width=1280)
    desk.login(recruiter.email)
    page = desk.go("/follow-ups/")
    page.locator("a", has_text=response.contact.name).click()
    page.wait_for_load_state("networkidle")
    assert "Wat ging goed?" in page.content() and "De terugkoppeling duurde lang." in page.content()
    assert desk.errors == []


@pytest.mark.parametrize("width", [375, 1280])
def test_the_answer_and_error_pages_have_no_accessibility_violations(open_page, emailed_link, width):
    token_link = re.search(r"(http://\S+/s/[A-Za-z0-9_-]+/)", emailed_link.body).group(1)
    browser_page = open_page(width=width)
    page = browser_page.go(token_link)
    assert browser_page.axe_violations() == []
    page.locator("label[for='nps-9']").click()
    page.locator("button[value=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "Bedankt" in page.content()
    assert browser_page.axe_violations() == []
    browser_page.go("/s/this-link-does-not-exist-anywhere-0123456789abcdef/")
    assert "Deze link werkt niet (meer)" in browser_page.page.content()
    assert browser_page.axe_violations() == []
    assert [e for e in browser_page.errors if "404" not in e] == []


def test_the_answer_page_works_with_the_keyboard(open_page, emailed_link):
    token_link = re.search(r"(http://\S+/s/[A-Za-z0-9_-]+/)", emailed_link.body).group(1)
    browser_page = open_page(width=375)
    page = browser_page.go(token_link)
    page.locator("#nps-0").focus()
    for _ in range(8):
        page.keyboard.press("ArrowRight")
    assert page.locator("#nps-8").is_checked()
    # The choice is saved as made (and the test ends only when that request has been answered).
    page.locator("#save-status", has_text="Opgeslagen").wait_for()
