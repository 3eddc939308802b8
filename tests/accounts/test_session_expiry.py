import datetime
import time

import pytest
from celery.schedules import crontab
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from accounts.tasks import sessions_clear_expired
from evalportal.celery import app

pytestmark = pytest.mark.django_db


def _age(client, **seconds_ago):
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def test_a_login_ends_after_thirty_minutes_without_activity(recruiter_client):
    assert recruiter_client.get(reverse("surveys:survey_list")).status_code == 200
    _age(recruiter_client, session_seen=31 * 60)
    response = recruiter_client.get(reverse("surveys:survey_list"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert "_auth_user_id" not in recruiter_client.session


def test_a_login_ends_after_eight_hours_even_when_active(recruiter_client):
    recruiter_client.get(reverse("surveys:survey_list"))
    _age(recruiter_client, session_started=8 * 3600 + 1, session_seen=10)
    assert recruiter_client.get(reverse("surveys:survey_list")).status_code == 302


def test_activity_keeps_a_login_alive(recruiter_client):
    recruiter_client.get(reverse("surveys:survey_list"))
    _age(recruiter_client, session_seen=20 * 60)
    assert recruiter_client.get(reverse("surveys:survey_list")).status_code == 200
    assert recruiter_client.get(reverse("surveys:survey_list")).status_code == 200


def test_expired_sessions_are_deleted_every_night():
    Session.objects.create(session_key="a" * 32, session_data="", expire_date=timezone.now() - datetime.timedelta(1))
    Session.objects.create(session_key="b" * 32, session_data="", expire_date=timezone.now() + datetime.timedelta(1))
    sessions_clear_expired()
    assert list(Session.objects.values_list("session_key", flat=True)) == ["b" * 32]
    entry = app.conf.beat_schedule["sessions-clear-expired"]
    assert entry["task"] == sessions_clear_expired.name
    assert entry["schedule"] == crontab(hour=4, minute=0)
