"""A recruiter reads the mirror, prints the client review report at A4 and shares it; the client opens the link on
a phone."""

import datetime
import re

import pytest

from nps import services
from nps.models import FollowUp
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

RATING = {"briefing": "2", "feedback_speed": "1", "reachability": "3", "decision_speed": "4"}


@pytest.fixture
def evaluated(recruiter, django_capture_on_commit_callbacks):
    factories.make_default_survey(organisation=recruiter.organisation, user=recruiter)
    placement = factories.make_placement(
        recruiter=recruiter,
        search_started_on=datetime.date(2026, 7, 1),
        start_date=datetime.date(2026, 9, 1),
        candidates_introduced=6,
    )
    invitation, _token = factories.close_and_send(placement, captured=django_capture_on_commit_callbacks)
    response_id = services.response_save(invitation_id=invitation.pk, nps_score=5, answers={}, comment="", submit=True)
    placement.refresh_from_db()
    services.rating_record(placement=placement, user=recruiter, values=RATING)
    services.followup_update(
        followup=FollowUp.objects.get(response=response_id),
        user=recruiter,
        expectations="Elke vrijdag een korte update",
        status="done",
    )
    return placement


@pytest.mark.parametrize("width", [375, 1280])
def test_the_mirror_and_the_report_print_at_a4_and_pass_axe(open_page, evaluated, recruiter, width, tmp_path):
    desk = open_page(width=width)
    desk.login(recruiter.email)
    page = desk.go(f"/dashboard/clients/{evaluated.client_id}/mirror/")
    assert "De klant over het bureau" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert desk.axe_violations() == []
    page = desk.go(f"/dashboard/clients/{evaluated.client_id}/review/")
    assert "Elke vrijdag een korte update" in page.content()
    assert desk.axe_violations() == []
    page.emulate_media(media="print")
    assert not page.locator("nav.navbar").is_visible()
    assert not page.locator("#print-report").is_visible()
    assert desk.axe_violations() == []
    pdf = page.pdf(format="A4", path=str(tmp_path / "review.pdf"))
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000
    assert desk.errors == []


def test_the_client_opens_the_shared_link_on_a_phone_until_it_is_revoked(open_page, evaluated, recruiter):
    desk = open_page(width=1280)
    desk.login(recruiter.email)
    page = desk.go(f"/dashboard/clients/{evaluated.client_id}/review/")
    page.get_by_role("button", name="Delen met de klant (een link die 30 dagen geldig is)").click()
    page.wait_for_load_state("networkidle")
    link = page.locator("#new-link").input_value()
    assert re.search(r"/r/[A-Za-z0-9_-]{40,}/$", link)
    phone = open_page(width=375)
    shared = phone.go(link)
    assert "Elke vrijdag een korte update" in shared.content()
    assert "Sanne" not in shared.content()
    assert shared.evaluate("document.documentElement.scrollWidth") <= 375
    assert phone.axe_violations() == []
    page.locator("summary").click()
    page.get_by_role("button", name="Intrekken").click()
    page.wait_for_load_state("networkidle")
    shared.reload()
    assert "verlopen of ingetrokken" in shared.content()
    assert phone.axe_violations() == []
    assert [e for e in phone.errors if "410" not in e] == []
    assert desk.errors == []


def test_the_placement_page_and_the_rating_at_375(open_page, evaluated, recruiter):
    phone = open_page(width=375)
    phone.login(recruiter.email)
    page = phone.go(f"/placements/{evaluated.pk}/")
    assert "Uw beeld van de klant" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert phone.axe_violations() == []
    page = phone.go(f"/placements/{evaluated.pk}/client-rating/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert phone.axe_violations() == []
    page.locator("label[for='id_briefing_4']").click()
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state("networkidle")
    assert "Uw beoordeling van de klant is opgeslagen." in page.content()
    client_page = phone.go(f"/clients/{evaluated.client_id}/")
    assert "Elke vrijdag een korte update" in client_page.content()
    assert phone.axe_violations() == []
    assert phone.errors == []
