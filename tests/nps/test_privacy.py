"""AVG/GDPR: export and erasure of one email address, retention, and the audit trail."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nps import services
from nps.models import FollowUp, Invitation, InvitationToken, PrivacyRecord, Response
from nps.services import privacy
from placements.models import Contact, Placement
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(invitation, token):
    """A low score with a comment, so a follow-up with notes exists too."""
    response_id = services.response_save(
        invitation_id=invitation.pk, nps_score=3, answers={}, comment="Ruud belde nooit terug", submit=True
    )
    FollowUp.objects.filter(response=response_id).update(outcome="Gebeld met Hiring Manager over de planning")
    return Response.objects.get(pk=response_id)


def test_export_holds_everything_about_the_address_and_leaves_an_audit_record(answered, recruiter):
    contact = answered.contact
    data = privacy.personal_data_export(
        organisation=contact.organisation, email=contact.email.upper(), performed_by=recruiter
    )
    assert data["hiring_managers"][0]["email"] == contact.email
    assert data["placements"][0]["candidate"] == "Zoë de Vries"
    assert data["responses"][0]["nps_score"] == 3
    assert data["responses"][0]["comment"] == "Ruud belde nooit terug"
    assert data["follow_up_calls"][0]["outcome"].startswith("Gebeld")
    assert data["survey_emails"][0]["status"] == "sent"
    json.dumps(data)  # JSON-ready
    record = PrivacyRecord.objects.get()
    assert record.action == "export" and record.performed_by == recruiter
    assert record.subject_hash == privacy.subject_hash(contact.email)
    assert contact.email not in json.dumps(record.counts)


def test_erasure_removes_the_person_keeps_the_scores_and_stops_the_links(answered, client, token):
    contact = answered.contact
    email = contact.email
    counts = privacy.personal_data_erase(organisation=contact.organisation, email=email)

    contact.refresh_from_db()
    assert contact.anonymised_at is not None and contact.opted_out_at is not None
    assert email not in contact.email and contact.email.endswith(".invalid")
    assert contact.name == "Geanonimiseerd" and contact.phone == ""
    response = Response.objects.get(pk=answered.pk)
    assert response.nps_score == 3 and response.comment == ""
    assert FollowUp.objects.get(response=response).outcome == ""
    assert not InvitationToken.objects.filter(invitation__contact=contact).exists()
    assert client.get(f"/s/{token}/").status_code in {404, 410}
    assert counts["hiring_managers"] == 1 and counts["comments"] == 1
    record = PrivacyRecord.objects.get(action="erasure")
    assert record.subject_hash == privacy.subject_hash(email)
    assert email not in str(record.__dict__)

    # Erasing again changes nothing and still leaves a record of the request.
    again = privacy.personal_data_erase(organisation=contact.organisation, email=email)
    assert again["hiring_managers"] == 0
    assert PrivacyRecord.objects.filter(action="erasure").count() == 2


def test_erasure_cancels_an_unsent_invitation(organisation, recruiter, survey):
    placement = factories.make_placement(recruiter=recruiter)
    from placements.services import placement_close

    placement_close(placement=placement)
    invitation = placement.invitation_link.invitation
    privacy.personal_data_erase(organisation=organisation, email=placement.contact.email)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.CANCELLED


def test_erasure_touches_only_that_organisation(answered, outsider):
    other = factories.make_contact(organisation=outsider.organisation, email=answered.contact.email)
    privacy.personal_data_erase(organisation=answered.organisation, email=answered.contact.email)
    other.refresh_from_db()
    assert other.anonymised_at is None and other.email == answered.contact.email.lower()


def test_retention_anonymises_only_after_the_period_without_activity(answered, organisation, recruiter):
    fresh = factories.make_placement(recruiter=recruiter, candidate_name="Ruud van 't Hoff")
    long_ago = timezone.now() - datetime.timedelta(days=800)
    stale_contact = factories.make_contact(organisation=organisation, name="Oud Contact")
    stale = factories.make_placement(recruiter=recruiter, contact=stale_contact, candidate_name="Oude Kandidaat")
    Contact.objects.filter(pk=stale_contact.pk).update(created_at=long_ago)
    Placement.objects.filter(pk=stale.pk).update(created_at=long_ago, updated_at=long_ago)

    totals = privacy.personal_data_retain()
    assert totals == {"hiring_managers": 1, "candidates": 1}
    stale_contact.refresh_from_db()
    stale.refresh_from_db()
    assert stale_contact.anonymised_at is not None and stale.candidate_name == "Geanonimiseerd"
    fresh.refresh_from_db()
    answered.contact.refresh_from_db()
    assert fresh.candidate_name == "Ruud van 't Hoff" and answered.contact.anonymised_at is None
    assert PrivacyRecord.objects.get(action="retention").counts["hiring_managers"] == 1

    # Two years on, without any activity, the answered survey's people go too; the score stays.
    later = timezone.now() + datetime.timedelta(days=800)
    privacy.personal_data_retain(now=later)
    answered.contact.refresh_from_db()
    assert answered.contact.anonymised_at is not None
    assert Response.objects.get(pk=answered.pk).nps_score == 3
    assert privacy.personal_data_retain(now=later) == {"hiring_managers": 0, "candidates": 0}


def test_a_shorter_retention_setting_is_respected(organisation, recruiter):
    organisation.retention_months = 6
    organisation.save(update_fields=["retention_months"])
    contact = factories.make_contact(organisation=organisation)
    Contact.objects.filter(pk=contact.pk).update(created_at=timezone.now() - datetime.timedelta(days=200))
    assert privacy.personal_data_retain()["hiring_managers"] == 1


def test_the_retention_task_runs_daily():
    from evalportal.celery import app

    entry = app.conf.beat_schedule["personal-data-retain"]
    assert entry["task"] == "nps.personal_data_retain"
    assert entry["schedule"].hour == {3}


def test_the_command_exports_and_erases_with_confirmation(answered, capsys, monkeypatch):
    email = answered.contact.email
    call_command("personal_data", "export", email)
    exported = json.loads(capsys.readouterr().out)
    assert exported[0]["responses"][0]["comment"] == "Ruud belde nooit terug"

    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    with pytest.raises(CommandError):
        call_command("personal_data", "erase", email)
    assert Contact.objects.get(pk=answered.contact_id).anonymised_at is None

    call_command("personal_data", "erase", email, "--yes")
    assert Contact.objects.get(pk=answered.contact_id).anonymised_at is not None
    with pytest.raises(CommandError, match="No hiring manager"):
        call_command("personal_data", "export", "nobody@example.nl")


def test_the_admin_actions_export_and_erase_after_confirmation(answered, admin_client):
    contact = answered.contact
    url = reverse("admin:placements_contact_changelist")
    exported = admin_client.post(url, {"action": "export_personal_data", "_selected_action": [contact.pk]})
    assert exported["Content-Type"].startswith("application/json")
    assert json.loads(exported.content)[0]["hiring_managers"][0]["email"] == contact.email

    confirm = admin_client.post(url, {"action": "erase_personal_data", "_selected_action": [contact.pk]})
    assert confirm.status_code == 200 and contact.email in confirm.content.decode()
    assert Contact.objects.get(pk=contact.pk).anonymised_at is None

    done = admin_client.post(
        url, {"action": "erase_personal_data", "_selected_action": [contact.pk], "confirmed": "yes"}, follow=True
    )
    assert done.status_code == 200
    assert Contact.objects.get(pk=contact.pk).anonymised_at is not None
    record = PrivacyRecord.objects.get(action="erasure")
    assert record.performed_by.email == "anne@acme-recruitment.nl"


def test_the_answer_page_links_the_privacy_notice(client, token):
    page = client.get(f"/s/{token}/", follow=True).content.decode()
    assert reverse("nps:privacy") in page


def test_the_privacy_notice_names_the_agency_and_its_retention_period(client, token, organisation):
    organisation.retention_months = 18
    organisation.save(update_fields=["retention_months"])
    client.get(f"/s/{token}/")
    page = client.get(reverse("nps:privacy")).content.decode()
    assert "Acme Recruitment" in page and "18 maanden" in page
    anonymous = Client().get(reverse("nps:privacy")).content.decode()
    assert "24 maanden" in anonymous
