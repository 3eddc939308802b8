"""The placement form in Chromium: the hiring-manager list follows the chosen client."""

import pytest

from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize("width", [375, 1280])
def test_choosing_a_client_offers_its_hiring_managers_only(open_page, recruiter, organisation, width):
    acme = factories.make_client(organisation=organisation, name="Acme B.V.")
    smit = factories.make_client(organisation=organisation, name="Smit & Zn.")
    factories.make_contact(organisation=organisation, client=acme, name="Zoë de Vries", email="zoe@acme.nl")
    factories.make_contact(organisation=organisation, client=smit, name="Fleur d'Hondt", email="fleur@smit.nl")
    browser_page = open_page(width=width)
    browser_page.login(recruiter.email)
    page = browser_page.go("/placements/new/")
    contact = page.locator("#id_contact")
    assert contact.locator("option").all_inner_texts() == ["Kies eerst een klant"]
    page.select_option("#id_client", label="Smit & Zn.")
    page.locator("#id_contact option", has_text="Fleur").wait_for(state="attached")
    assert contact.locator("option").all_inner_texts() == ["Kies een hiring manager", "Fleur d'Hondt (fleur@smit.nl)"]
    page.select_option("#id_client", label="Acme B.V.")
    page.locator("#id_contact option", has_text="Zoë").wait_for(state="attached")
    assert contact.locator("option").count() == 2
    assert browser_page.axe_violations() == []
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow == 0
    assert browser_page.errors == []
