"""Through the real parts: a Celery worker consuming from Redis sends the email to an SMTP server.

Runs when TEST_BROKER_URL points at a Redis (always on CI, in the PostgreSQL pass of make test).
"""

import datetime
import json
import os
import re
import socket
import time
import uuid

import pytest
from django.core import mail
from django.utils import timezone

from nps.models import Invitation
from placements.api_keys import api_key_create
from placements.models import Integration
from tests import factories

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
            self.messages.append(envelope)
            return "250 OK"

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def celery_on_redis(settings, smtp_server, monkeypatch):
    url = os.environ.get("TEST_BROKER_URL")
    if not url:
        pytest.skip("TEST_BROKER_URL is not set (a Redis for the real worker)")
    from celery.contrib.testing.worker import start_worker

    from evalportal.celery import app

    controller, _inbox = smtp_server
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 5},
        }
    }
    # The app reads Django settings under the CELERY_ namespace, so the keys are set in that form.
    keys = ("CELERY_BROKER_URL", "CELERY_TASK_DEFAULT_QUEUE", "CELERY_BROKER_TRANSPORT_OPTIONS")
    saved = {k: app.conf.get(k) for k in keys}
    queue = f"test-{uuid.uuid4().hex[:12]}"  # its own queue: parallel test processes never share messages
    monkeypatch.setenv("CELERY_BROKER_URL", url)  # Celery lets this variable win over its configuration
    app.conf.update(
        {
            "CELERY_BROKER_URL": url,
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            "CELERY_BROKER_TRANSPORT_OPTIONS": {"socket_timeout": 5, "socket_connect_timeout": 3},
        }
    )
    app._after_fork()  # drop connection pools made for the previous broker
    assert app.connection_for_read().as_uri().startswith("redis://")
    with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=10, queues=[queue]):
        yield app
    monkeypatch.undo()
    app.conf.update(saved)
    app._after_fork()


def _wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_a_placement_closed_through_the_api_is_emailed_by_the_worker_over_smtp(
    celery_on_redis, smtp_server, client, organisation, recruiter
):
    _controller, inbox = smtp_server
    factories.make_default_survey(organisation=organisation, user=recruiter)
    organisation.invitation_delay_days = 0
    organisation.save()
    key = api_key_create(integration=Integration.objects.create(organisation=organisation, name="ATS"))
    headers = {"Authorization": f"Bearer {key}"}
    body = {
        "external_id": "X-1",
        "client": "Acme",
        "recruiter_email": recruiter.email,
        "hiring_manager": {"name": "Zoë de Vries", "email": "zoe@acme.nl", "language": "nl"},
        "candidate_name": "Ruud van 't Hoff",
        "job_title": "Monteur",
        "start_date": "2026-09-01",
    }
    assert (
        client.post(
            "/api/v1/placements", json.dumps(body), content_type="application/json", headers=headers
        ).status_code
        == 201
    )
    for _ in range(2):
        assert (
            client.post("/api/v1/placements/X-1/close", content_type="application/json", headers=headers).status_code
            == 200
        )

    assert _wait_for(lambda: len(inbox.messages) >= 1), "the worker sent nothing"
    time.sleep(1)
    assert len(inbox.messages) == 1
    envelope = inbox.messages[0]
    assert envelope.rcpt_tos == ["zoe@acme.nl"]
    assert mail.outbox == []  # it went over SMTP, not to the test outbox
    text = envelope.content.decode("utf-8", "replace")
    token = re.search(r"/s/([A-Za-z0-9_-]{40,})/", text).group(1)
    invitation = Invitation.objects.get()
    assert invitation.status == "sent"
    landing = client.get(f"/s/{token}/")
    assert landing.status_code == 302
    assert client.get(landing["Location"]).status_code == 200


def test_the_sweep_task_on_the_worker_sends_what_a_lost_message_left_behind(
    celery_on_redis, smtp_server, organisation, recruiter, settings
):
    from outreach.tasks import sweep
    from placements.services import placement_close

    settings.INVITATION_REQUEUE_AFTER_SECONDS = 0
    _controller, inbox = smtp_server
    factories.make_default_survey(organisation=organisation, user=recruiter)
    placement = factories.make_placement(recruiter=recruiter)
    placement_close(placement=placement)  # delay of two days: nothing is queued
    Invitation.objects.update(send_after=Invitation.objects.get().created_at)
    sweep.delay()
    assert _wait_for(lambda: len(inbox.messages) == 1)
    assert Invitation.objects.get().status == "sent"


def test_the_daily_plan_and_the_sweep_on_the_worker_send_a_check_in(celery_on_redis, smtp_server, recruiter):
    from checkins.models import CheckIn
    from checkins.tasks import plan_daily
    from evalportal.working_days import add_working_days, is_working_day
    from outreach.tasks import sweep

    _controller, inbox = smtp_server
    today = timezone.localdate()
    start = today
    while add_working_days(start, 3) != today:  # started three working days ago: the first week's check-in is due
        start -= datetime.timedelta(days=1)
        if (today - start).days > 10:
            pytest.skip("today is not a working day: the plan sends nothing")
    if not is_working_day(today):
        pytest.skip("today is not a working day: the plan sends nothing")
    factories.make_placement(
        recruiter=recruiter,
        candidate_email="ruud@example.nl",
        start_date=start,
        probation_end_date=start + datetime.timedelta(days=59),
    )
    plan_daily.delay()
    assert _wait_for(lambda: CheckIn.objects.exists())
    sweep.delay()
    assert _wait_for(lambda: len(inbox.messages) == 1)
    assert inbox.messages[0].rcpt_tos == ["ruud@example.nl"]
    assert _wait_for(lambda: CheckIn.objects.get().status == "sent")
