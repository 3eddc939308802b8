import pytest
from django.urls import reverse

from nps.models import Invitation
from placements.models import Client, Contact, Placement
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_recruiter_adds_a_client_a_hiring_manager_and_a_placement(recruiter_client, recruiter):
    response = recruiter_client.post(reverse("placements:client_create"), {"name": "Acme B.V."})
    client = Client.objects.get()
    assert response["Location"] == reverse("placements:client_detail", args=[client.pk])
    recruiter_client.post(
        reverse("placements:contact_create"),
        {"client": client.pk, "name": "Zoë de Vries", "email": "Zoe@Acme.nl", "phone": "", "language": "nl"},
    )
    contact = Contact.objects.get()
    assert contact.email == "zoe@acme.nl"
    response = recruiter_client.post(
        reverse("placements:placement_create"),
        {
            "client": client.pk,
            "contact": contact.pk,
            "candidate_name": "Ruud van 't Hoff",
            "job_title": "Monteur",
            "start_date": "2026-09-01",
        },
    )
    placement = Placement.objects.get()
    assert placement.recruiter == recruiter
    assert response["Location"] == reverse("placements:placement_detail", args=[placement.pk])


def test_a_recruiter_cannot_assign_a_placement_to_someone_else(recruiter_client, recruiter, other_recruiter):
    contact = factories.make_contact(organisation=recruiter.organisation)
    recruiter_client.post(
        reverse("placements:placement_create"),
        {
            "client": contact.client_id,
            "contact": contact.pk,
            "recruiter": other_recruiter.pk,
            "candidate_name": "X",
            "job_title": "Y",
            "start_date": "2026-09-01",
        },
    )
    assert Placement.objects.get().recruiter == recruiter


def test_a_duplicate_hiring_manager_email_gets_a_clear_message(recruiter_client, recruiter):
    contact = factories.make_contact(organisation=recruiter.organisation, email="zoe@acme.nl")
    response = recruiter_client.post(
        reverse("placements:contact_create"),
        {"client": contact.client_id, "name": "Zoë", "email": "ZOE@acme.nl", "phone": "", "language": "nl"},
    )
    assert "Er bestaat al een hiring manager met dit e-mailadres." in response.content.decode()
    assert Contact.objects.count() == 1


def test_a_hiring_manager_of_another_client_is_refused(recruiter_client, recruiter):
    contact = factories.make_contact(organisation=recruiter.organisation)
    other_client = factories.make_client(organisation=recruiter.organisation)
    response = recruiter_client.post(
        reverse("placements:placement_create"),
        {
            "client": other_client.pk,
            "contact": contact.pk,
            "candidate_name": "X",
            "job_title": "Y",
            "start_date": "2026-09-01",
        },
    )
    assert "werkt bij een andere klant" in response.content.decode()
    assert not Placement.objects.exists()


def test_probation_before_start_is_refused(recruiter_client, recruiter):
    contact = factories.make_contact(organisation=recruiter.organisation)
    response = recruiter_client.post(
        reverse("placements:placement_create"),
        {
            "client": contact.client_id,
            "contact": contact.pk,
            "candidate_name": "X",
            "job_title": "Y",
            "start_date": "2026-09-01",
            "probation_end_date": "2026-08-01",
        },
    )
    assert "proeftijd" in response.content.decode()
    assert not Placement.objects.exists()


def test_closing_asks_for_confirmation_then_schedules_the_survey(recruiter_client, recruiter, organisation):
    factories.make_default_survey(organisation=organisation, user=recruiter)
    placement = factories.make_placement(recruiter=recruiter)
    url = reverse("placements:placement_close", args=[placement.pk])
    assert "Ja, plaatsing afsluiten" in recruiter_client.get(url).content.decode()
    assert not Invitation.objects.exists()
    response = recruiter_client.post(url, follow=True)
    assert "Ingepland" in response.content.decode()
    assert Invitation.objects.count() == 1


def test_recruiters_see_only_their_own_placements(recruiter_client, other_recruiter_client, recruiter):
    placement = factories.make_placement(recruiter=recruiter, candidate_name="Alleen Van Sanne")
    assert "Alleen Van Sanne" in recruiter_client.get(reverse("placements:placement_list")).content.decode()
    assert "Alleen Van Sanne" not in other_recruiter_client.get(reverse("placements:placement_list")).content.decode()
    for name in ("placements:placement_detail", "placements:placement_edit", "placements:placement_close"):
        assert other_recruiter_client.get(reverse(name, args=[placement.pk])).status_code == 404
    assert other_recruiter_client.post(reverse("placements:placement_cancel", args=[placement.pk])).status_code == 404


def test_a_team_lead_sees_the_team_and_not_others(team_lead_client, recruiter, other_recruiter):
    mine = factories.make_placement(recruiter=recruiter, candidate_name="Teamlid")
    factories.make_placement(recruiter=other_recruiter, candidate_name="Buiten Het Team")
    page = team_lead_client.get(reverse("placements:placement_list")).content.decode()
    assert "Teamlid" in page and "Buiten Het Team" not in page
    assert team_lead_client.get(reverse("placements:placement_detail", args=[mine.pk])).status_code == 200


def test_the_list_searches_and_filters(recruiter_client, recruiter):
    factories.make_placement(recruiter=recruiter, candidate_name="Anna Bos")
    factories.make_placement(recruiter=recruiter, candidate_name="Piet Klaassen")
    page = recruiter_client.get(reverse("placements:placement_list") + "?q=bos").content.decode()
    assert "Anna Bos" in page and "Piet Klaassen" not in page


def test_another_organisation_sees_nothing(outsider_client, recruiter):
    placement = factories.make_placement(recruiter=recruiter)
    assert outsider_client.get(reverse("placements:placement_detail", args=[placement.pk])).status_code == 404
    assert outsider_client.get(reverse("placements:client_detail", args=[placement.client_id])).status_code == 404


def test_cancel_needs_post(recruiter_client, recruiter):
    placement = factories.make_placement(recruiter=recruiter)
    assert recruiter_client.get(reverse("placements:placement_cancel", args=[placement.pk])).status_code == 405


def test_the_recruiter_resends_a_failed_invitation(recruiter_client, recruiter, organisation):
    factories.make_default_survey(organisation=organisation, user=recruiter)
    placement = factories.make_placement(recruiter=recruiter)
    recruiter_client.post(reverse("placements:placement_close", args=[placement.pk]))
    invitation = Invitation.objects.get()
    Invitation.objects.filter(pk=invitation.pk).update(status="failed", last_error="SMTP 550 mailbox unavailable")
    page = recruiter_client.get(reverse("placements:placement_detail", args=[placement.pk])).content.decode()
    assert "Mislukt" in page and "SMTP 550 mailbox unavailable" in page
    recruiter_client.post(reverse("nps:invitation_resend", args=[invitation.pk]))
    assert Invitation.objects.get().status == "scheduled"
    recruiter_client.post(reverse("nps:invitation_cancel", args=[invitation.pk]))
    assert Invitation.objects.get().status == "cancelled"


def test_hiring_managers_are_listed_and_searched_within_the_organisation(recruiter_client, recruiter, outsider):
    factories.make_contact(organisation=recruiter.organisation, name="Zoë de Vries", email="zoe@acme.nl")
    factories.make_contact(organisation=recruiter.organisation, name="Piet Klaassen", email="piet@acme.nl")
    factories.make_contact(organisation=outsider.organisation, name="Zoë Elders", email="zoe@other.nl")
    page = recruiter_client.get(reverse("placements:contact_list") + "?q=zoe").content.decode()
    assert "Zoë de Vries" in page and "Piet Klaassen" not in page and "Zoë Elders" not in page
