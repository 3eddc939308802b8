"""One write path: the same bad placement gets the same answer from the form, the API and the import."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from placements import importer
from placements.models import Contact, Placement, PlacementImport
from tests import factories
from tests.placements.test_api import _payload
from tests.placements.test_import import HEADER, _csv, _row

pytestmark = pytest.mark.django_db


@pytest.fixture
def elsewhere(organisation):
    """Zoë is a hiring manager at Smit & Zn.; every path below tries to put her on a placement at Acme."""
    acme = factories.make_client(organisation=organisation, name="Acme B.V.")
    smit = factories.make_client(organisation=organisation, name="Smit & Zn.")
    zoe = factories.make_contact(organisation=organisation, client=smit, email="zoe@acme.nl", name="Zoë de Vries")
    return acme, zoe


OTHER_CLIENT_NL = "zoe@acme.nl werkt bij een andere klant: contactpersoon bij Smit &amp; Zn."
OTHER_CLIENT_EN = "hiring_manager.email: zoe@acme.nl is a hiring manager at Smit & Zn."


def test_the_form_refuses_a_hiring_manager_of_another_client(recruiter_client, recruiter, elsewhere):
    acme, zoe = elsewhere
    data = {"client": acme.pk, "contact": zoe.pk, "candidate_name": "Ruud van 't Hoff", "job_title": "Monteur"}
    response = recruiter_client.post(reverse("placements:placement_create"), data | {"start_date": "2026-09-01"})
    assert OTHER_CLIENT_NL in response.content.decode()
    assert not Placement.objects.exists()


def test_the_api_refuses_it_and_leaves_the_hiring_manager_where_she_was(api, recruiter, elsewhere):
    acme, zoe = elsewhere
    response = api("post", "/placements", _payload(recruiter, client="Acme B.V."))
    assert response.status_code == 422
    assert OTHER_CLIENT_EN in response.json()["detail"]
    zoe.refresh_from_db()
    assert zoe.client.name == "Smit & Zn."
    assert not Placement.objects.exists()


def test_the_import_refuses_the_row_before_anything_is_written(recruiter_client, recruiter, elsewhere):
    content = _csv(recruiter, [_row(recruiter, email="zoe@acme.nl", client="Acme B.V.")]).encode()
    upload = SimpleUploadedFile("p.csv", content, content_type="text/csv")
    preview = recruiter_client.post(reverse("placements:import"), {"file": upload}, follow=True)
    assert OTHER_CLIENT_NL in preview.content.decode()
    assert not PlacementImport.objects.exists(), "a refused upload is not kept"
    assert not Placement.objects.exists()
    assert Contact.objects.get(email="zoe@acme.nl").client.name == "Smit & Zn."


def test_one_address_under_two_clients_in_one_file_is_refused_on_the_second_row(recruiter, organisation):
    rows = [
        _row(recruiter, 1, email="jan@x.nl", client="Acme B.V."),
        _row(recruiter, 2, email="jan@x.nl", client="Smit"),
    ]
    result = importer.parse(_csv(recruiter, rows).encode(), organisation=organisation)
    assert [number for number, _ in result.errors] == [3]
    assert "jan@x.nl" in result.errors[0][1]


def test_probation_before_start_gets_the_same_message_everywhere(
    recruiter_client,
    recruiter,
    organisation,
    api,
):
    contact = factories.make_contact(organisation=organisation)
    form = recruiter_client.post(
        reverse("placements:placement_create"),
        {
            "client": contact.client_id,
            "contact": contact.pk,
            "candidate_name": "d'Hondt",
            "job_title": "Monteur",
            "start_date": "2026-09-01",
            "probation_end_date": "2026-08-01",
        },
    ).content.decode()
    assert "Het einde van de proeftijd kan niet voor de startdatum liggen." in form
    response = api("post", "/placements", _payload(recruiter, probation_end_date="2026-08-01"))
    assert response.status_code == 422
    assert "probation_end_date: The end of probation cannot be before the start date." in response.json()["detail"]
    header = HEADER + ";einde_proeftijd"
    result = importer.parse(
        _csv(recruiter, [[*_row(recruiter), "01-08-2026"]], header=header).encode(), organisation=organisation
    )
    assert [m for _, m in result.errors] == ["Het einde van de proeftijd kan niet voor de startdatum liggen."]
    assert not Placement.objects.exists()


def test_an_unknown_recruiter_gets_the_same_message_from_the_api_and_the_import(api, recruiter, organisation):
    response = api("post", "/placements", _payload(recruiter, recruiter_email="nobody@elders-bureau.nl"))
    unknown = "recruiter_email: nobody@elders-bureau.nl is not an active user of your organisation."
    assert response.json()["detail"] == unknown
    result = importer.parse(
        _csv(recruiter, [_row(recruiter, rec="nobody@elders-bureau.nl")]).encode(), organisation=organisation
    )
    assert [m for _, m in result.errors] == ["nobody@elders-bureau.nl is geen actieve gebruiker van uw organisatie."]


def test_a_client_name_ending_in_a_dot_ends_the_message_once(api, recruiter, organisation):
    smit = factories.make_client(organisation=organisation, name="Smit B.V.")
    factories.make_contact(organisation=organisation, client=smit, email="zoe@acme.nl")
    detail = api("post", "/placements", _payload(recruiter, client="Acme B.V.")).json()["detail"]
    assert "at Smit B.V. Change" in detail and "B.V.." not in detail
