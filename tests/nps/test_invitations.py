import datetime
import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from nps import services
from nps.models import Invitation, InvitationPlacement, InvitationToken
from outreach.tokens import token_hash
from placements.services import contact_opt_out, placement_cancel, placement_close
from tests import factories

pytestmark = pytest.mark.django_db


def test_closing_schedules_exactly_one_invitation_after_the_configured_delay(placement):
    before = timezone.now()
    placement_close(placement=placement)
    placement_close(placement=placement)
    invitation = Invitation.objects.get()
    assert invitation.status == "scheduled"
    assert invitation.send_after >= before + datetime.timedelta(days=2)
    assert InvitationPlacement.objects.get().invitation == invitation


def test_close_then_send_makes_one_personal_email_with_a_working_link(client, placement, sent):
    invitation, token = sent
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [placement.contact.email]
    assert "Sanne de Vries" in message.from_email
    assert "Zoë de Vries" in message.subject
    assert message.extra_headers["Message-ID"] == f"<evalportal.invitation.{invitation.pk}.0@testserver>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = message.alternatives[0].content
    for score in range(11):
        assert f"/s/{token}/?score={score}" in html
    assert invitation.status == "sent" and invitation.expires_at is not None
    # Only the hash is stored.
    assert not InvitationToken.objects.filter(token_hash=token).exists()
    assert InvitationToken.objects.filter(token_hash=token_hash(token)).exists()
    response = client.get(f"/s/{token}/?score=9", follow=True)
    assert response.status_code == 200
    assert 'value="9" checked' in response.content.decode()


def test_the_email_is_in_the_hiring_managers_language(recruiter, survey, django_capture_on_commit_callbacks):
    contact = factories.make_contact(organisation=recruiter.organisation, language="en")
    placement = factories.make_placement(recruiter=recruiter, contact=contact)
    factories.close_and_send(placement, captured=django_capture_on_commit_callbacks)
    assert "How was working with us" in mail.outbox[-1].subject
    assert "Would you recommend working with recruitment to a colleague?" in mail.outbox[-1].body


def test_sending_twice_sends_one_email(placement, django_capture_on_commit_callbacks):
    invitation, _token = factories.close_and_send(placement, captured=django_capture_on_commit_callbacks)
    assert services.invitation_send(invitation_id=invitation.pk) == "not-claimed"
    assert len(mail.outbox) == 1


def test_a_zero_delay_queues_the_send_after_commit(placement, django_capture_on_commit_callbacks):
    placement.organisation.invitation_delay_days = 0
    placement.organisation.save()
    with mock.patch("nps.tasks.invitation_send.delay") as delay, django_capture_on_commit_callbacks(execute=True):
        placement_close(placement=placement)
    delay.assert_called_once_with(Invitation.objects.get().pk)


def test_the_broker_down_at_close_time_only_delays_the_send(placement, django_capture_on_commit_callbacks, settings):
    settings.INVITATION_REQUEUE_AFTER_SECONDS = 0
    placement.organisation.invitation_delay_days = 0
    placement.organisation.save()
    broker_down = mock.patch("nps.tasks.invitation_send.delay", side_effect=ConnectionRefusedError)
    with broker_down, django_capture_on_commit_callbacks(execute=True):
        placement_close(placement=placement)
    invitation = Invitation.objects.get()
    assert invitation.status == "scheduled" and invitation.queued_at is None
    with mock.patch("nps.tasks.invitation_send.delay") as delay:
        assert services.invitations_sweep()["sends"] == 1
    delay.assert_called_once_with(invitation.pk)
    services.invitation_send(invitation_id=invitation.pk)
    assert len(mail.outbox) == 1


def test_the_sweep_queues_again_soon_when_the_queue_is_empty_and_late_when_it_is_busy(
    placement, django_capture_on_commit_callbacks, settings
):
    settings.INVITATION_REQUEUE_AFTER_SECONDS = 60
    settings.INVITATION_CLAIM_LEASE_SECONDS = 300
    placement.organisation.invitation_delay_days = 0
    placement.organisation.save()
    with mock.patch("nps.tasks.invitation_send.delay"), django_capture_on_commit_callbacks(execute=True):
        placement_close(placement=placement)  # queued, but the message never arrives
    invitation = Invitation.objects.get()
    Invitation.objects.filter(pk=invitation.pk).update(queued_at=timezone.now() - datetime.timedelta(seconds=120))
    with mock.patch("nps.tasks.invitation_send.delay") as delay:
        with mock.patch.object(services.invitations, "send_queue_backlog", return_value=2500):
            assert services.invitations_sweep()["sends"] == 0  # busy workers: it is probably still waiting
        with mock.patch.object(services.invitations, "send_queue_backlog", return_value=0):
            assert services.invitations_sweep()["sends"] == 1  # an empty queue: the message was lost
    delay.assert_called_once_with(invitation.pk)
    Invitation.objects.filter(pk=invitation.pk).update(queued_at=timezone.now() - datetime.timedelta(seconds=400))
    busy = mock.patch.object(services.invitations, "send_queue_backlog", return_value=2500)
    with mock.patch("nps.tasks.invitation_send.delay"), busy:
        assert services.invitations_sweep()["sends"] == 1  # past the lease even a busy queue gets it again


def test_the_send_queue_length_comes_from_the_broker():
    from evalportal.celery import app
    from nps.services.invitations import send_queue_backlog
    from nps.tasks import invitation_send

    app.control.purge()
    try:
        assert send_queue_backlog() == 0
        invitation_send.delay(1)
        invitation_send.delay(2)
        assert send_queue_backlog() == 2
    finally:
        app.control.purge()


def test_a_temporary_smtp_failure_is_retried_and_then_marked_failed(placement, settings):
    settings.INVITATION_MAX_ATTEMPTS = 2
    placement.organisation.invitation_delay_days = 0
    placement.organisation.save()
    placement_close(placement=placement)
    invitation = Invitation.objects.get()
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=smtplib.SMTPResponseException(451, b"try later"),
    ):
        with pytest.raises(services.TemporarySendError):
            services.invitation_send(invitation_id=invitation.pk)
        invitation.refresh_from_db()
        assert invitation.status == "scheduled" and "451" in invitation.last_error
        Invitation.objects.filter(pk=invitation.pk).update(send_after=timezone.now())
        assert services.invitation_send(invitation_id=invitation.pk) == "failed"
    invitation.refresh_from_db()
    assert invitation.status == "failed" and "try later" in invitation.last_error


def test_a_stale_claim_of_a_dead_worker_is_taken_over(placement, settings):
    placement.organisation.invitation_delay_days = 0
    placement.organisation.save()
    placement_close(placement=placement)
    invitation = Invitation.objects.get()
    Invitation.objects.filter(pk=invitation.pk).update(
        status="sending", claimed_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert services.invitation_send(invitation_id=invitation.pk) == "sent"
    assert len(mail.outbox) == 1


def test_a_second_placement_in_the_quiet_period_joins_the_unsent_invitation(
    recruiter, survey, django_capture_on_commit_callbacks
):
    contact = factories.make_contact(organisation=recruiter.organisation)
    first = factories.make_placement(recruiter=recruiter, contact=contact, candidate_name="Ruud van 't Hoff")
    second = factories.make_placement(recruiter=recruiter, contact=contact, candidate_name="Zoë de Vries")
    third = factories.make_placement(recruiter=recruiter, contact=contact, candidate_name="Anna Bos")
    placement_close(placement=first)
    placement_close(placement=second)
    assert Invitation.objects.count() == 1
    invitation = Invitation.objects.get()
    Invitation.objects.filter(pk=invitation.pk).update(send_after=timezone.now())
    services.invitation_send(invitation_id=invitation.pk)
    assert "2 plaatsingen" in mail.outbox[0].subject
    assert "Ruud van 't Hoff" in mail.outbox[0].body and "Zoë de Vries" in mail.outbox[0].body
    placement_close(placement=third)
    link = InvitationPlacement.objects.get(placement=third)
    assert "rustperiode" in link.skipped_reason
    assert Invitation.objects.count() == 1


def test_after_the_quiet_period_a_new_invitation_is_made(
    placement, survey, recruiter, django_capture_on_commit_callbacks
):
    invitation, _ = factories.close_and_send(placement, captured=django_capture_on_commit_callbacks)
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now() - datetime.timedelta(days=31))
    later = factories.make_placement(recruiter=recruiter, contact=placement.contact)
    placement_close(placement=later)
    assert Invitation.objects.count() == 2


def test_opted_out_hiring_managers_are_never_emailed(placement):
    contact_opt_out(contact=placement.contact)
    placement_close(placement=placement)
    assert not Invitation.objects.exists()
    assert "afgemeld" in InvitationPlacement.objects.get().skipped_reason


def test_an_opt_out_after_scheduling_stops_the_email(placement):
    placement.organisation.invitation_delay_days = 0
    placement.organisation.save()
    placement_close(placement=placement)
    contact_opt_out(contact=placement.contact)
    assert services.invitation_send(invitation_id=Invitation.objects.get().pk) == "opted-out"
    assert mail.outbox == []


def test_cancelling_the_placement_cancels_its_unsent_invitation(placement):
    placement_close(placement=placement)
    placement_cancel(placement=placement)
    assert Invitation.objects.get().status == "cancelled"


def test_one_reminder_after_six_days_and_at_most_the_configured_number(placement, sent):
    invitation, _token = sent
    assert services.invitation_remind(invitation_id=invitation.pk) == "not-due"
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now() - datetime.timedelta(days=6, hours=1))
    with mock.patch("nps.tasks.invitation_remind.delay") as delay:
        assert services.invitations_sweep()["reminders"] == 1
    delay.assert_called_once()
    assert services.invitation_remind(invitation_id=invitation.pk) == "reminded"
    assert mail.outbox[-1].subject.startswith("Herinnering:")
    assert mail.outbox[-1].extra_headers["Message-ID"].startswith(f"<evalportal.reminder.{invitation.pk}.1@")
    Invitation.objects.filter(pk=invitation.pk).update(last_reminded_at=timezone.now() - datetime.timedelta(days=7))
    assert services.invitation_remind(invitation_id=invitation.pk) == "not-claimed"
    assert len(mail.outbox) == 2


def test_invitations_expire_after_the_window(sent):
    invitation, _ = sent
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert services.invitations_expire() == 1
    assert Invitation.objects.get().status == "expired"


def test_no_default_survey_skips_with_the_reason(recruiter):
    placement = factories.make_placement(recruiter=recruiter)
    placement_close(placement=placement)
    assert "standaard" in InvitationPlacement.objects.get().skipped_reason


def test_a_clients_default_survey_wins_over_the_organisations(recruiter, survey, organisation):
    from surveys.services import default_survey_set

    special = factories.make_survey(organisation=organisation, user=recruiter, name="Speciaal")
    placement = factories.make_placement(recruiter=recruiter)
    default_survey_set(organisation=organisation, survey=special, client=placement.client)
    placement_close(placement=placement)
    assert Invitation.objects.get().survey_version.survey == special


def test_the_unsubscribe_header_reaches_the_mail_server_as_a_plain_link(sent):
    """Folded into RFC 2047 words, a long List-Unsubscribe URL is not a link any mail client follows."""
    import email.policy

    _invitation, token = sent
    raw = mail.outbox[0].message(policy=email.policy.SMTP).as_bytes()  # what the SMTP backend sends
    lines = raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
    header = next(line for line in lines if line.startswith(b"List-Unsubscribe:"))
    assert header == f"List-Unsubscribe: <http://testserver/s/{token}/unsubscribe/>".encode()
    assert all(len(line) <= 998 for line in lines)
