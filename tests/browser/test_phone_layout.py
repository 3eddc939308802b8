"""On a phone the survey reads cleanly: 0-10 on one line, no word broken under a scale, the question inside
its card; on a desktop the menu keeps one line."""

import re

import pytest

from tests.browser.test_answer_flow import emailed_link  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

OVERFLOWING = """[...document.querySelectorAll('.scale-label, .nps-scale .btn')]
  .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent.trim())"""
NPS_ROWS = "new Set([...document.querySelectorAll('.nps-scale .btn')].map(e => e.getBoundingClientRect().top)).size"
# Each question's legend lies below its card's top border instead of on it.
LEGENDS_INSIDE = """[...document.querySelectorAll('fieldset.question')].every(f =>
  f.querySelector('legend').getBoundingClientRect().top >= f.getBoundingClientRect().top)"""


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_the_answer_page_reads_cleanly_at_every_width(open_page, emailed_link, width):  # noqa: F811
    link = re.search(r'href="([^"]+\?score=3)"', emailed_link.alternatives[0].content).group(1)
    browser_page = open_page(width=width)
    page = browser_page.go(link)
    assert page.evaluate(NPS_ROWS) == 1
    assert page.evaluate(OVERFLOWING) == []
    assert page.evaluate(LEGENDS_INSIDE)
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") == 0
    words = page.locator(".scale-label").first.evaluate("e => e.textContent")
    assert words == "Zeer slecht"
    assert browser_page.errors == []


def test_the_menu_keeps_one_line_at_1280(open_page, team_lead):
    browser_page = open_page(width=1280)
    browser_page.login(team_lead.email)
    page = browser_page.go("/dashboard/")
    assert page.evaluate("document.querySelector('nav').getBoundingClientRect().height") < 70
    page.locator("#account-menu").click()
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_load_state("networkidle")
    assert "/accounts/login/" in page.url
    assert browser_page.axe_violations() == []
