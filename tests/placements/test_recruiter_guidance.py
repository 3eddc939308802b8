"""A recruiter is never left guessing: which survey goes out, which hiring managers fit the client, and
when an invitation will be sent."""

import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from nps.models import Invitation
from placements.models import Contact
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_published_survey_no_client_gets_says_so_and_offers_to_become_the_default(
    team_lead_client, organisation, recruiter
):
    default = factories.make_default_survey(organisation=organisation, user=recruiter, name="Standaard kort")
    unused = factories.make_survey(organisation=organisation, user=recruiter, name="Nieuw ontwerp")
    page = team_lead_client.get(reverse("surveys:survey_list")).content.decode()
    row = re.search(r"Nieuw ontwerp</a>.*?</tr>", page, re.DOTALL).group(0)
    assert "Niet in gebruik" in row and "Maak er de standaard van" in row
    assert "Niet in gebruik" not in re.search(r"Standaard kort</a>.*?</tr>", page, re.DOTALL).group(0)
    team_lead_client.post(reverse("surveys:default_set"), {"survey": unused.pk})
    page = team_lead_client.get(reverse("surveys:survey_list")).content.decode()
    assert "Niet in gebruik" in re.search(r"Standaard kort</a>.*?</tr>", page, re.DOTALL).group(0)
    assert default.pk


def test_a_recruiter_is_pointed_to_the_client_default_instead(recruiter_client, organisation, recruiter):
    factories.make_survey(organisation=organisation, user=recruiter, name="Nieuw ontwerp")
    page = recruiter_client.get(reverse("surveys:survey_list")).content.decode()
    assert "Stel in voor een klant" in page and "Maak er de standaard van" not in page


def test_a_new_survey_starts_with_the_open_question_on(recruiter_client):
    page = recruiter_client.get(reverse("surveys:survey_create")).content.decode()
    assert 'value="Wat kunnen wij nog beter doen?"' in page
    assert 'value="What could we do better?"' in page


@pytest.fixture
def two_clients(organisation):
    acme = factories.make_client(organisation=organisation, name="Acme B.V.")
    smit = factories.make_client(organisation=organisation, name="Smit & Zn.")
    factories.make_contact(organisation=organisation, client=acme, name="Zoë de Vries", email="zoe@acme.nl")
    Contact.objects.bulk_create(
        Contact(organisation=organisation, client=smit, name=f"Manager {n}", email=f"m{n}@smit.nl") for n in range(3000)
    )
    return acme, smit


def test_the_placement_form_offers_only_the_chosen_clients_hiring_managers(recruiter_client, two_clients):
    acme, _smit = two_clients
    page = recruiter_client.get(reverse("placements:placement_create")).content.decode()
    contact_select = re.search(r'<select name="contact".*?</select>', page, re.DOTALL).group(0)
    assert contact_select.count("<option") == 1 and "Kies eerst een klant" in contact_select
    data = {"client": acme.pk, "candidate_name": "Ruud van 't Hoff", "job_title": "Monteur", "action": "client"}
    page = recruiter_client.post(reverse("placements:placement_create"), data).content.decode()
    contact_select = re.search(r'<select name="contact".*?</select>', page, re.DOTALL).group(0)
    assert contact_select.count("<option") == 2 and "Zoë de Vries (zoe@acme.nl)" in contact_select
    assert 'value="Ruud van &#x27;t Hoff"' in page, "what was typed survives the button"
    assert "is-invalid" not in page


def test_the_hiring_managers_of_a_client_come_as_json_for_the_form(recruiter_client, two_clients, outsider):
    acme, smit = two_clients
    data = json.loads(recruiter_client.get(reverse("placements:client_contacts", args=[acme.pk])).content)
    assert [c["label"] for c in data["contacts"]] == ["Zoë de Vries (zoe@acme.nl)"]
    assert len(recruiter_client.get(reverse("placements:client_contacts", args=[smit.pk])).json()["contacts"]) == 3000


def test_a_scheduled_send_reads_as_future_and_sending_it_now_does_not_say_again(
    recruiter_client, recruiter, organisation
):
    factories.make_default_survey(organisation=organisation, user=recruiter)
    organisation.invitation_delay_days = 2
    organisation.save()
    placement = factories.make_placement(recruiter=recruiter)
    recruiter_client.post(reverse("placements:placement_close", args=[placement.pk]))
    invitation = Invitation.objects.get()
    when = timezone.localtime(invitation.send_after)
    page = recruiter_client.get(reverse("placements:placement_detail", args=[placement.pk])).content.decode()
    months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
              "november", "december"]  # fmt: skip
    assert f"Wordt verstuurd op {when.day} {months[when.month - 1]} om {when:%H:%M}" in page
    assert "Nu versturen" in page and "opnieuw" not in page.lower()
    answer = recruiter_client.post(reverse("nps:invitation_resend", args=[invitation.pk]), follow=True)
    assert "De enquête wordt verstuurd." in answer.content.decode()
    assert "opnieuw" not in answer.content.decode().lower()
    assert invitation.send_after > timezone.now() - datetime.timedelta(minutes=1)
