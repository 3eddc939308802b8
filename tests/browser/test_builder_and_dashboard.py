"""The survey builder by drag-and-drop, and the team lead's dashboard, in Chromium."""

import pytest

from reporting.summaries import summaries_rebuild
from surveys.models import Survey
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_recruiter_builds_a_survey_by_drag_and_drop_is_refused_the_11th_topic_and_publishes(open_page, recruiter):
    desk = open_page(width=1280)
    desk.login(recruiter.email)
    page = desk.go("/surveys/new/")
    page.fill("#id_name", "Na de plaatsing")
    add_buttons = page.locator("button[data-add]")
    for i in range(3):
        add_buttons.nth(i).click()
    names = page.locator("#selected-topics .selected-topic > .selected-topic-name > [data-name]")
    first_three = [names.nth(i).inner_text() for i in range(3)]
    # Drag the third topic to the top by its handle.
    items = page.locator("#selected-topics .selected-topic")
    items.nth(2).scroll_into_view_if_needed()
    handle = items.nth(2).locator(".drag-handle").bounding_box()
    target = items.nth(0).bounding_box()
    x, y = handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 21):  # small moves, as a hand would make
        page.mouse.move(x, y - (y - target["y"] + 5) * step / 20)
        page.wait_for_timeout(20)
    page.mouse.up()
    page.wait_for_timeout(200)
    reordered = [names.nth(i).inner_text() for i in range(3)]
    assert reordered[0] == first_three[2]
    # The keyboard alternative: Omlaag moves it back down one place.
    page.locator("#selected-topics .selected-topic").nth(0).locator("[data-move=down]").click()
    assert names.nth(1).inner_text() == first_three[2]
    for i in range(3, 10):
        add_buttons.nth(i).click()
    assert page.locator("#topic-counter").inner_text().endswith("10/10")
    assert add_buttons.nth(10).is_disabled()
    assert page.locator("#builder-full").is_visible()
    assert "maximale aantal onderwerpen" in page.locator("#builder-full").inner_text()
    page.locator("button[value=publish]").click()
    page.wait_for_load_state("networkidle")
    assert "Gepubliceerd als versie 1." in page.content()
    survey = Survey.objects.get()
    assert survey.versions.get().topics.count() == 10
    assert survey.versions.get().topics.get(position=2).name_nl == first_three[2]
    preview = desk.go(f"/surveys/{survey.pk}/preview/")
    assert preview.locator("#nps-10").count() == 1
    assert desk.errors == []


def test_the_preview_fits_a_phone(open_page, recruiter, organisation):
    survey = factories.make_survey(organisation=organisation, user=recruiter)
    phone = open_page(width=375)
    phone.login(recruiter.email)
    page = phone.go(f"/surveys/{survey.pk}/preview/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert phone.axe_violations() == []
    assert phone.errors == []


@pytest.mark.parametrize("width", [375, 1280])
def test_the_team_lead_finds_the_right_nps_without_console_errors(open_page, organisation, recruiter, team_lead, width):
    from tests.reporting.test_dashboard import RECRUITER_SCORES, _answer

    factories.make_default_survey(organisation=organisation, user=recruiter)
    organisation.invitation_delay_days = 0
    organisation.quiet_period_days = 0
    organisation.save()
    for nps in RECRUITER_SCORES:
        _answer(recruiter, nps, 4)
    summaries_rebuild()
    browser_page = open_page(width=width)
    browser_page.login(team_lead.email)
    page = browser_page.go("/dashboard/")
    assert page.locator("#nps-value").inner_text().strip() == "+0"
    assert page.locator("canvas#nps-chart").is_visible()
    assert browser_page.axe_violations() == []
    assert browser_page.errors == []
    # On a phone the NPS comes first: the filters fold into one line; on a desktop they stay open.
    folded = page.evaluate("!document.getElementById('filters').open")
    assert folded == (width == 375)
    nps_top = page.locator("#nps-value").bounding_box()["y"]
    assert width != 375 or nps_top < 500, "the NPS is in the first screen on a phone"
    if width == 375:
        page.locator("#filters > summary").click()
        assert page.locator("#f-period").is_visible()
