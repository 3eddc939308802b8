"""No token, email address or name in the logs or in the Celery messages.

The whole flow runs: an ATS creates and closes a placement through the API,
the Celery messages are published to the broker and read back raw (as a
worker would get them), the email goes out, a failed send is retried, the
hiring manager answers low, a follow-up alert goes to the recruiter, the
hiring manager unsubscribes. Every log record at DEBUG and every message
body and header is then searched for the personal data.
"""

import io
import json
import logging
import re
import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from evalportal.celery import app
from evalportal.logging import LineFormatter, RedactFilter
from nps import services
from nps.models import Invitation
from placements.api_keys import api_key_create
from placements.models import Integration, Placement
from surveys.models import SurveyVersionTopic
from tests import factories

pytestmark = pytest.mark.django_db

CANDIDATE = "Zoë de Vries-Oosterhout"
MANAGER = "Ruud van 't Hoff"
EMAIL = "ruud.vanthoff@klant-example.nl"
CANDIDATE_EMAIL = "zoe.devries@kandidaat-example.nl"
CANDIDATE_PHONE = "+31 6 8765 4321"


class Broker:
    """Reads the raw messages the app published to the in-memory broker and runs their tasks."""

    def __init__(self):
        self.raw = []

    def drain(self, capture):
        with app.connection_for_read() as connection:
            channel = connection.default_channel
            while True:
                with capture(execute=True):
                    message = channel.basic_get("celery", no_ack=True)
                    if message is None:
                        return
                    self.raw.append(message.body if isinstance(message.body, bytes) else str(message.body).encode())
                    self.raw.append(json.dumps(message.headers, default=str).encode())
                    args, kwargs, _ = json.loads(message.body)
                    app.tasks[message.headers["task"]].apply(args=args, kwargs=kwargs)


@pytest.fixture
def logs():
    """Everything logged at DEBUG: the raw messages and the lines the configured handler would write."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactFilter())
    handler.setFormatter(LineFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    raw = []

    class Raw(logging.Handler):
        def emit(self, record):
            raw.append(record.getMessage())

    root = logging.getLogger()
    level = root.level
    raw_handler = Raw()
    # First of all handlers: the configured handler's redact filter rewrites the record it shares with the rest.
    root.handlers.insert(0, raw_handler)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield raw, stream
    root.removeHandler(handler)
    root.removeHandler(raw_handler)
    root.setLevel(level)


def test_the_whole_flow_keeps_personal_data_out_of_logs_and_celery_messages(
    client, organisation, recruiter, logs, django_capture_on_commit_callbacks
):
    factories.make_default_survey(organisation=organisation, user=recruiter)
    organisation.invitation_delay_days = 0
    organisation.save(update_fields=["invitation_delay_days"])
    key = api_key_create(integration=Integration.objects.create(organisation=organisation, name="ATS"))
    broker = Broker()
    api = {"content_type": "application/json", "headers": {"Authorization": f"Bearer {key}"}}
    payload = {
        "client": "Klant B.V.",
        "hiring_manager": {"name": MANAGER, "email": EMAIL, "language": "nl"},
        "recruiter_email": recruiter.email,
        "candidate_name": CANDIDATE,
        "candidate_email": CANDIDATE_EMAIL,
        "candidate_phone": CANDIDATE_PHONE,
        "contract_type": "permanent",
        "job_title": "Werkvoorbereider",
        "start_date": "2026-09-01",
    }

    # A send that fails for a while first: it is retried and logged.
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/api/v1/placements", {**payload, "external_id": "A-1"}, **api).status_code == 201
        assert client.post("/api/v1/placements/A-1/close", **api).status_code == 200
    refusal = smtplib.SMTPResponseException(451, f"4.2.0 <{EMAIL}> try again later".encode())
    with mock.patch("evalportal.mail.deliver", side_effect=refusal):
        invitation = Invitation.objects.get()
        with pytest.raises(Exception):  # noqa: B017, PT011 - the task's retry signal or the temporary error
            services.invitation_send(invitation_id=invitation.pk)
    assert EMAIL in Invitation.objects.get().last_error  # the recruiter sees why; the logs must not
    # The backoff has passed: the periodic sweep queues it again.
    Invitation.objects.filter(pk=invitation.pk).update(send_after=timezone.now(), queued_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_sweep()
    broker.drain(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    token = re.search(r"/s/([A-Za-z0-9_-]{40,})/", mail.outbox[0].body).group(1)

    # The hiring manager answers low: a follow-up opens and the recruiter is alerted.
    location = client.get(reverse("outreach:token_entry", args=[token]))["Location"]
    data = {"nps": "2", "comment": f"Belt u mij: {EMAIL}", "action": "submit"}
    invitation.refresh_from_db()
    for topic in SurveyVersionTopic.objects.filter(version=invitation.survey_version):
        data[f"topic_{topic.pk}"] = "2"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(location, data).status_code == 302
    broker.drain(django_capture_on_commit_callbacks)
    assert len(mail.outbox) >= 2  # the alert to the recruiter
    assert client.post(reverse("outreach:unsubscribe", args=[token])).status_code == 200
    assert client.get(reverse("outreach:token_entry", args=["x" * 43])).status_code == 404

    # The candidate's check-in: planned, swept onto the queue, sent, answered low with "call me", unsubscribed.
    checkin_token = _candidate_check_in(client, broker, django_capture_on_commit_callbacks)

    assert broker.raw, "the flow published Celery messages"
    assert Placement.objects.get().candidate_name == CANDIDATE
    raw_logs, written = logs
    personal = [token, checkin_token, EMAIL, CANDIDATE_EMAIL, CANDIDATE_PHONE, CANDIDATE, MANAGER, "Zoë", "van 't Hoff"]
    for message in broker.raw:
        text = message.decode("utf-8", "replace")
        assert not [p for p in personal if p in text], text
    for line in raw_logs:
        assert not [p for p in personal if p in line], line
    output = written.getvalue()
    assert not [p for p in personal if p in output]
    assert raw_logs, "the flow logged something (else this test proves nothing)"


def _candidate_check_in(client, broker, capture) -> str:
    from checkins import services as checkins
    from checkins.models import CandidateFollowUp, CheckIn
    from outreach import outbox

    placement = Placement.objects.get()
    with capture(execute=True):
        CheckIn.objects.create(
            organisation=placement.organisation,
            placement=placement,
            recruiter=placement.recruiter,
            stage="first_week",
            planned_on=timezone.localdate(),
            send_after=timezone.now(),
        )
        outbox.sweep_all()  # the beat's sweep: the check-in goes onto the queue by id
    sent = len(mail.outbox)
    broker.drain(capture)
    assert len(mail.outbox) == sent + 1 and mail.outbox[-1].to == [CANDIDATE_EMAIL]
    token = re.search(r"/s/([A-Za-z0-9_-]{40,})/", mail.outbox[-1].body).group(1)
    location = client.get(reverse("outreach:token_entry", args=[token]))["Location"]
    with capture(execute=True):
        response = client.post(
            location, {"how_going": "1", "message": f"Bel me: {CANDIDATE_PHONE}", "call_requested": "1"}
        )
    assert response.status_code == 302
    broker.drain(capture)
    assert CandidateFollowUp.objects.get().notified_at is not None  # the alert went through the queue
    assert mail.outbox[-1].to == [placement.recruiter.email]
    assert client.post(reverse("outreach:unsubscribe", args=[token])).status_code == 200
    assert checkins.ended(Placement.objects.get())
    return token
