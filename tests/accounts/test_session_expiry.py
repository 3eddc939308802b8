import time

import pytest
from django.urls import reverse

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
