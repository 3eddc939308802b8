"""It reads as a finished Dutch product: no English, no '(en)' plurals, no 'B.V..', no capital month names."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from nps.models import FollowUp
from tests import factories

pytestmark = pytest.mark.django_db


def test_djangos_own_blank_choice_is_dutch():
    from django.db.models.fields import BLANK_CHOICE_LABEL

    with translation.override("nl"):
        assert str(BLANK_CHOICE_LABEL) == "- Kies een optie -"


def test_no_dutch_text_uses_a_bracketed_plural_or_a_made_up_word():
    import polib

    for app in ("accounts", "evalportal", "nps", "placements", "reporting", "surveys"):
        for entry in polib.pofile(f"{app}/locale/nl/LC_MESSAGES/django.po"):
            texts = [entry.msgstr, *entry.msgstr_plural.values()]
            for text in texts:
                assert not re.search(r"\w\((en|s|n)\)", text), (app, text)
                assert "Tweerichting" not in text and "Passives" not in text, (app, text)


@pytest.mark.parametrize("delay", [0, 1, 3])
def test_the_close_page_counts_days_in_words(recruiter_client, recruiter, organisation, delay):
    organisation.invitation_delay_days = delay
    organisation.save()
    placement = factories.make_placement(recruiter=recruiter)
    page = recruiter_client.get(reverse("placements:placement_close", args=[placement.pk])).content.decode()
    expected = {0: "krijgt dan meteen", 1: "over 1 dag een", 3: "over 3 dagen een"}[delay]
    assert expected in page


def test_a_client_name_ending_in_a_dot_ends_the_sentence_once(client, organisation, recruiter, token_for):
    link = token_for(client_name="Smit B.V.")
    page = client.get(client.get(link)["Location"]).content.decode()
    assert "bij Smit B.V." in page
    assert "B.V.." not in page


def test_short_month_names_are_lower_case_in_dutch(recruiter_client, recruiter, organisation, token_for):
    token_for(client_name="Acme")
    from nps import services
    from nps.models import Invitation

    invitation = Invitation.objects.get()
    services.response_save(invitation_id=invitation.pk, nps_score=2, answers={}, comment="", submit=True)
    assert FollowUp.objects.exists()
    page = recruiter_client.get(reverse("reporting:followup_list")).content.decode()
    months = "Jan|Feb|Mrt|Mar|Apr|Mei|May|Jun|Jul|Aug|Sep|Okt|Oct|Nov|Dec"
    assert not re.search(rf"\d ({months})\b", page)


@pytest.fixture
def token_for(organisation, recruiter, django_capture_on_commit_callbacks):
    def make(*, client_name):
        factories.make_default_survey(organisation=organisation, user=recruiter)
        client = factories.make_client(organisation=organisation, name=client_name)
        contact = factories.make_contact(organisation=organisation, client=client)
        placement = factories.make_placement(recruiter=recruiter, contact=contact)
        _invitation, token = factories.close_and_send(placement, captured=django_capture_on_commit_callbacks)
        return f"/s/{token}/"

    return make


def test_one_english_text_has_one_dutch_text_in_every_catalog():
    """LOCALE_PATHS (evalportal's catalog) is read before the apps' catalogs for every text, so a msgid
    translated two ways would show one app's Dutch on another app's page."""
    import polib

    seen: dict[str, tuple[str, str]] = {}
    for app in ("accounts", "evalportal", "nps", "placements", "reporting", "surveys"):
        for entry in polib.pofile(f"{app}/locale/nl/LC_MESSAGES/django.po"):
            if entry.msgstr and not entry.msgid_plural and not entry.msgctxt:
                first = seen.setdefault(entry.msgid, (app, entry.msgstr))
                assert first[1] == entry.msgstr, (entry.msgid, first, (app, entry.msgstr))
