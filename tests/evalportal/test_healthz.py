from datetime import timedelta
from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.utils import timezone

from evalportal import health
from evalportal.models import Heartbeat
from evalportal.tasks import heartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture
def filesystem_broker(settings, tmp_path):
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(tmp_path)}


@pytest.fixture
def broker_down(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    with mock.patch("evalportal.celery.app.connection_for_write") as conn:
        conn.return_value.__enter__.return_value.ensure_connection.side_effect = ConnectionRefusedError
        yield


def test_liveness_is_ok_when_the_database_answers(client, filesystem_broker):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_liveness_stays_ok_while_the_broker_is_down_so_web_processes_are_not_restarted(client, broker_down):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "broker" not in response.json()


def test_liveness_answers_503_when_the_database_is_down(client, filesystem_broker):
    with mock.patch("evalportal.health.connection") as connection:
        connection.cursor.side_effect = OperationalError("gone")
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"


def test_readiness_is_ok_with_database_broker_and_a_recent_heartbeat(client, filesystem_broker):
    heartbeat.apply()
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() | {"beat_seconds_ago": 0} == {
        "status": "ok",
        "database": "ok",
        "broker": "ok",
        "beat": "ok",
        "beat_seconds_ago": 0,
    }


def test_readiness_answers_503_when_the_broker_is_down(client, broker_down):
    heartbeat.apply()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["broker"] == "down"


def test_readiness_answers_503_before_the_first_heartbeat(client, filesystem_broker):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["beat"] == "down"
    assert response.json()["beat_seconds_ago"] is None


def test_readiness_answers_503_when_the_heartbeat_is_three_beats_late(client, filesystem_broker):
    late = timezone.now() - timedelta(seconds=health.HEARTBEAT_LATE_AFTER_SECONDS + 5)
    Heartbeat.objects.create(name=health.BEAT, beat_at=late)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["beat"] == "down"
    assert response.json()["beat_seconds_ago"] >= health.HEARTBEAT_LATE_AFTER_SECONDS


def test_the_heartbeat_keeps_one_row(filesystem_broker):
    heartbeat.apply()
    heartbeat.apply()
    assert Heartbeat.objects.filter(name=health.BEAT).count() == 1


def test_the_beat_schedule_sends_the_heartbeat_more_often_than_readiness_tolerates():
    from evalportal.celery import app

    entry = app.conf.beat_schedule["heartbeat"]
    assert entry["task"] == "evalportal.heartbeat"
    assert entry["schedule"] * 3 <= health.HEARTBEAT_LATE_AFTER_SECONDS


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_it_refuses_post(client, path):
    assert client.post(path).status_code == 405
