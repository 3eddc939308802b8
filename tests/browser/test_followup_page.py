"""The follow-up page in Chromium: what the recruiter typed survives the save, and leaving with unsaved
text asks first."""

import pytest

from nps.models import FollowUp
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def followup(organisation, recruiter):
    from tests.reporting.test_dashboard import _answer

    factories.make_default_survey(organisation=organisation, user=recruiter)
    topics = factories.standard_topics()
    for name, chosen in (("Live kort", topics[:3]), ("Live lang", topics[3:6])):
        factories.make_survey(organisation=organisation, user=recruiter, kind="live", name=name, topics=chosen)
    organisation.invitation_delay_days = 0
    organisation.save()
    return FollowUp.objects.get(response=_answer(recruiter, 3, 2))


@pytest.mark.parametrize("width", [375, 1280])
def test_notes_typed_before_scoring_are_saved_with_the_scores(open_page, recruiter, followup, width):
    browser_page = open_page(width=width)
    browser_page.login(recruiter.email)
    page = browser_page.go(f"/follow-ups/{followup.pk}/")
    page.get_by_label("Wat ging goed?").fill("Ruud van 't Hoff is snel ingewerkt")
    page.select_option("#live-version", label=page.locator("#live-version option").nth(1).inner_text())
    visible = page.locator("[data-live-version]:not([hidden]) fieldset")
    assert visible.count() == 3
    visible.first.locator("label", has_text="4").click()
    assert browser_page.axe_violations() == []
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state("networkidle")
    followup.refresh_from_db()
    assert followup.went_well == "Ruud van 't Hoff is snel ingewerkt"
    assert followup.live_response.survey_version.survey.name == "Live lang"
    assert list(followup.live_response.answers.values_list("score", flat=True)) == [4]
    assert page.get_by_label("Wat ging goed?").input_value() == "Ruud van 't Hoff is snel ingewerkt"
    assert browser_page.errors == []


def test_leaving_with_unsaved_text_asks_first(open_page, recruiter, followup):
    browser_page = open_page(width=375)
    browser_page.login(recruiter.email)
    page = browser_page.go(f"/follow-ups/{followup.pk}/")
    page.get_by_label("Wat had beter gekund?").fill("Nog niet opgeslagen")
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", answer)
    page.locator("main a", has_text="Opvolgingen").first.click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert f"/follow-ups/{followup.pk}/" in page.url
    assert page.get_by_label("Wat had beter gekund?").input_value() == "Nog niet opgeslagen"
