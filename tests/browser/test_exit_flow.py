"""A leaver on a phone answers the exit questionnaire from the email; a team lead reads the patterns and prints
the client's quarterly report at A4."""

import datetime
import re

import pytest
from django.core import mail

from exits import patterns, services
from exits.models import ExitFeedback
from placements.models import Placement
from placements.services import placement_record_outcome
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def emailed(recruiter, live_server, settings):
    settings.SITE_URL = live_server.url
    placement = factories.make_placement(
        recruiter=recruiter,
        candidate_name="Ruud van 't Hoff",
        candidate_email="ruud@example.nl",
        probation_end_date=datetime.date(2026, 10, 31),
        probation_end_agreed=True,
    )
    placement_record_outcome(
        placement=placement, outcome="left", left_on=datetime.date(2026, 10, 2), ended_by="candidate", reason="role"
    )
    invitation = services.exit_invite(placement=placement, user=recruiter)
    assert services.EXITS.send(invitation.pk) == "sent"
    return mail.outbox[-1]


def _link(message) -> str:
    return re.search(r"(http://\S+/s/[A-Za-z0-9_-]+/)", message.body).group(1)


def test_the_leaver_answers_on_a_phone(open_page, emailed):
    phone = open_page(width=375)
    page = phone.go(_link(emailed))
    assert "/s/e/" in page.url  # the token left the URL
    confidential = page.locator("#confidential")
    assert "niet naar" in confidential.inner_text() and "minstens drie vertrekkers" in confidential.inner_text()
    assert confidential.bounding_box()["y"] < page.locator("#q-vacancy").bounding_box()["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert phone.axe_violations() == []
    page.locator("label[for='vacancy_score-2']").click()
    page.locator("label[for='vacancy-vacancy_tasks']").click()
    page.fill("#vacancy_text", "Veel meer administratie dan beloofd")
    assert page.locator("label[for='employer_nps-11']").count() == 0
    page.locator("label[for='employer_nps-4']").click()
    page.get_by_role("button", name="Versturen").click()
    page.wait_for_load_state("networkidle")
    assert "Bedankt voor je antwoorden" in page.content()
    assert phone.axe_violations() == []
    assert phone.errors == []
    feedback = ExitFeedback.objects.get()
    assert (feedback.vacancy_score, feedback.themes, feedback.employer_nps) == (2, ["vacancy_tasks"], 4)


def test_the_questionnaire_works_with_the_keyboard(open_page, emailed):
    desk = open_page(width=1280)
    page = desk.go(_link(emailed))
    assert desk.axe_violations() == []
    page.locator("#workload_score-1").focus()
    page.keyboard.press("ArrowRight")
    assert page.locator("#workload_score-2").is_checked()
    page.locator("#workload-workload_peaks").focus()
    page.keyboard.press("Space")
    assert page.locator("#workload-workload_peaks").is_checked()
    page.locator("#development_text").focus()
    page.keyboard.type("Geen opleiding gekregen")
    page.locator("#employer_nps-0").focus()
    page.keyboard.press("ArrowRight")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Bedankt" in page.content()
    feedback = ExitFeedback.objects.get()
    assert (feedback.workload_score, feedback.development_text, feedback.employer_nps) == (
        2,
        "Geen opleiding gekregen",
        1,
    )
    assert desk.errors == []


@pytest.fixture
def pattern(recruiter, organisation):
    contact = factories.make_contact(organisation=organisation)
    for i in range(3):
        placement = factories.make_placement(
            recruiter=recruiter,
            contact=contact,
            candidate_name=f"Kandidaat {i}",
            probation_end_date=datetime.date(2026, 11, 30),
            probation_end_agreed=True,
        )
        placement = placement_record_outcome(
            placement=placement,
            outcome="left",
            left_on=datetime.date(2026, 10, 15),
            ended_by="candidate",
            reason="team",
        )
        services.feedback_store(
            placement=placement, source="conversation", answers={"themes": ["workload_peaks", "team_manager"]}
        )
    patterns.rebuild(organisation.pk, [20264])
    services.change_record(
        user=recruiter,
        client=contact.client,
        theme="workload_peaks",
        kind="peaks",
        description="Piekweken staan nu in de vacature",
        quarter=20264,
    )
    return contact.client


@pytest.mark.parametrize("width", [375, 1280])
def test_the_pattern_page_and_the_quarterly_report_print_at_a4(open_page, pattern, team_lead, width, tmp_path):
    lead = open_page(width=width)
    lead.login(team_lead.email)
    page = lead.go(f"/exits/patterns/?view=client&key={pattern.pk}&to=2026-4")
    assert "Piekperiodes die niemand noemde" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert lead.axe_violations() == []
    page = lead.go(f"/exits/clients/{pattern.pk}/report/?quarter=2026-4")
    assert "Piekweken staan nu in de vacature" in page.content()
    assert lead.axe_violations() == []
    page.emulate_media(media="print")
    assert not page.locator("nav.navbar").is_visible()
    assert not page.locator("#print-report").is_visible()
    assert lead.axe_violations() == []
    pdf = page.pdf(format="A4", path=str(tmp_path / "report.pdf"))
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") <= 2  # one quarter's report: a page or two
    assert lead.errors == []


def test_the_exit_card_and_the_feedback_page_at_375(open_page, emailed, recruiter):
    phone = open_page(width=375)
    phone.login(recruiter.email)
    placement_id = Placement.objects.get(candidate_email="ruud@example.nl").pk
    page = phone.go(f"/placements/{placement_id}/")
    assert "Vertrekfeedback" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert phone.axe_violations() == []
    page = phone.go(f"/exits/placements/{placement_id}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert phone.axe_violations() == []
    page.locator("label[for='source-conversation']").click()
    page.locator("label[for='team_score-1']").click()
    page.get_by_role("button", name="Vertrekfeedback opslaan").click()
    page.wait_for_load_state("networkidle")
    assert "De vertrekfeedback is opgeslagen." in page.content()
    assert phone.errors == []
