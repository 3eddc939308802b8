"""A rejected candidate on a phone answers the experience survey from the email; a recruiter records a final
answer on the vacancy page; a team lead reads the closure report beside the client NPS, at 375 px and 1280 px."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from applicants.models import CandidateFeedback, CandidateSurvey
from applicants.services import CANDIDATES
from placements import applicants
from placements.models import Applicant, Integration
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def vacancy(organisation, recruiter):
    client = factories.make_client(organisation=organisation, name="Van 't Hoff & Zn")
    integration = Integration.objects.create(organisation=organisation, name="ATS")
    vacancy, _new = applicants.vacancy_upsert(
        integration=integration,
        external_id="V1",
        client=client,
        recruiter=recruiter,
        title="Monteur",
        opened_on=timezone.localdate() - datetime.timedelta(days=40),
    )
    return vacancy


@pytest.fixture
def emailed(vacancy, live_server, settings):
    settings.SITE_URL = live_server.url
    today = timezone.localdate()
    row = {
        "external_id": "C1",
        "name": "Ruud van 't Hoff",
        "email": "ruud@example.nl",
        "stage": "rejected",
        "introduced_on": today - datetime.timedelta(days=30),
        "told_on": today,
    }
    applicants.applicants_upsert(vacancy=vacancy, rows=[row])
    from applicants.services import surveys_schedule

    surveys_schedule(applicant_ids=list(Applicant.objects.values_list("pk", flat=True)))
    survey = CandidateSurvey.objects.get()
    CandidateSurvey.objects.filter(pk=survey.pk).update(send_after=timezone.now())
    assert CANDIDATES.send(survey.pk) == "sent"
    return mail.outbox[-1]


def test_the_candidate_answers_on_a_phone(open_page, emailed):
    phone = open_page(width=375)
    page = phone.go(re.search(r"(http://\S+/s/[A-Za-z0-9_-]+/)", emailed.body).group(1))
    assert "/s/k/" in page.url  # the token left the URL
    assert "niet naar de werkgever" in page.locator("#confidential").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert phone.axe_violations() == []
    page.get_by_role("button", name="Versturen").click()
    page.wait_for_load_state("networkidle")
    assert "Beantwoord minstens één vraag" in page.content()
    assert phone.axe_violations() == []
    page.locator("label[for='clear_answer-no']").click()
    page.locator("label[for='feedback_useful-2']").click()
    page.locator("label[for='nps-3']").click()
    page.fill("#comment", "Pas na drie weken iets gehoord")
    page.get_by_role("button", name="Versturen").click()
    page.wait_for_load_state("networkidle")
    assert "leest je antwoorden" in page.content()
    # The one error is the page answering the empty form with 400, as it should.
    assert phone.errors == ["Failed to load resource: the server responded with a status of 400 (Bad Request)"]
    feedback = CandidateFeedback.objects.get()
    assert (feedback.clear_answer, feedback.feedback_useful, feedback.nps) == (False, 2, 3)


def test_the_survey_works_with_the_keyboard(open_page, emailed):
    desk = open_page(width=1280)
    page = desk.go(re.search(r"(http://\S+/s/[A-Za-z0-9_-]+/)", emailed.body).group(1))
    assert desk.axe_violations() == []
    page.locator("#nps-0").focus()
    for _ in range(8):
        page.keyboard.press("ArrowRight")
    assert page.locator("#nps-8").is_checked()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert CandidateFeedback.objects.get().nps == 8


@pytest.mark.parametrize("width", [375, 1280])
def test_the_vacancy_page_and_the_closure_report(open_page, vacancy, recruiter, team_lead, width):
    today = timezone.localdate()
    rows = [
        {
            "external_id": f"C{n}",
            "name": f"Kandidaat d'Hondt {n}",
            "email": f"k{n}@example.nl",
            "stage": "interviewed",
            "introduced_on": today - datetime.timedelta(days=35),
            "stage_on": today - datetime.timedelta(days=30),
        }
        for n in range(6)
    ]
    applicants.applicants_upsert(vacancy=vacancy, rows=rows)
    desk = open_page(width=width)
    desk.login(recruiter.email)
    page = desk.go("/follow-ups/#waiting")
    assert "Kandidaat d'Hondt 0" in page.locator("#waiting + .card").inner_text()
    assert desk.axe_violations() == []
    page.get_by_role("link", name="Kandidaat d'Hondt 0").click()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert desk.axe_violations() == []
    first = Applicant.objects.get(external_id="C0")
    page.fill(f"#told-{first.pk}", (today + datetime.timedelta(days=9)).isoformat())
    page.locator(f"#candidate-{first.pk} button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "in de toekomst" in page.content()
    assert page.input_value(f"#told-{first.pk}") == (today + datetime.timedelta(days=9)).isoformat()
    page.fill(f"#told-{first.pk}", today.isoformat())
    page.locator(f"#candidate-{first.pk} button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "Het antwoord is vastgelegd" in page.content()
    assert Applicant.objects.get(pk=first.pk).told_on == today
    assert desk.errors == ["Failed to load resource: the server responded with a status of 400 (Bad Request)"]

    lead = open_page(width=width)
    lead.login(team_lead.email)
    report = lead.go("/dashboard/candidates/?period=12m")
    assert report.locator("#closure-rate").inner_text() == "17%"
    assert "Van 't Hoff & Zn" in report.locator("#per-client").inner_text()
    assert report.evaluate("document.documentElement.scrollWidth") <= width
    assert lead.axe_violations() == []
    assert lead.errors == []
