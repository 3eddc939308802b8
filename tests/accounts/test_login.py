import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_login_page_renders_in_dutch_by_default(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert "Inloggen" in response.content.decode()


def test_a_recruiter_logs_in_with_email_and_password(client, recruiter):
    response = client.post(
        reverse("accounts:login"), {"username": "sanne@acme-recruitment.nl", "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(recruiter.pk)


def test_a_wrong_password_shows_a_clear_message(client, recruiter):
    response = client.post(reverse("accounts:login"), {"username": "sanne@acme-recruitment.nl", "password": "nope"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Het e-mailadres of wachtwoord klopt niet." in response.content.decode()


def test_five_failed_logins_lock_the_account_even_for_the_right_password(client, recruiter):
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "sanne@acme-recruitment.nl", "password": "wrong"})
    response = client.post(
        reverse("accounts:login"), {"username": "sanne@acme-recruitment.nl", "password": "correct horse battery staple"}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_logout_needs_post_and_ends_the_session(recruiter_client):
    assert recruiter_client.get(reverse("accounts:logout")).status_code == 405
    response = recruiter_client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in recruiter_client.session


def test_pages_need_a_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_language_switch_changes_the_interface_to_english(recruiter_client):
    response = recruiter_client.post(
        reverse("set_language"), {"language": "en", "next": "/accounts/login/"}, follow=True
    )
    assert response.status_code == 200
    assert 'lang="en"' in response.content.decode()


def test_superuser_creation_gives_an_administrator_in_an_organisation(db):
    user = User.objects.create_superuser(email="Root@Example.NL", password="x")
    assert user.email == "root@example.nl"
    assert user.role == User.Role.ADMIN
    assert user.organisation_id


def test_emails_are_unique_regardless_of_case(organisation):
    factories.make_user(organisation=organisation, email="a@b.nl")
    with pytest.raises(Exception):
        factories.make_user(organisation=organisation, email="A@B.nl")


def test_the_email_address_is_not_case_sensitive(client, recruiter):
    response = client.post(
        reverse("accounts:login"), {"username": "Sanne@ACME-recruitment.NL", "password": "correct horse battery staple"}
    )
    assert response.status_code == 302


def _login_from(client, address, password, *, via_proxy="10.0.0.1"):
    return client.post(
        reverse("accounts:login"),
        {"username": "sanne@acme-recruitment.nl", "password": password},
        REMOTE_ADDR=via_proxy,
        HTTP_X_FORWARDED_FOR=address,
    )


def test_behind_a_trusted_proxy_the_lockout_counts_the_real_client_so_the_victim_can_still_log_in(
    client, recruiter, settings
):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    for _ in range(5):
        _login_from(client, "203.0.113.66", "wrong")
    assert _login_from(client, "203.0.113.66", "correct horse battery staple").status_code == 429
    victim = Client()
    response = _login_from(victim, "198.51.100.7", "correct horse battery staple")
    assert response.status_code == 302
    assert victim.session["_auth_user_id"] == str(recruiter.pk)


def test_a_client_cannot_dodge_the_lockout_with_a_forwarded_for_header_of_its_own(client, recruiter, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    for n in range(5):
        _login_from(client, f"203.0.113.{n}", "wrong", via_proxy="192.0.2.50")
    response = _login_from(client, "203.0.113.99", "correct horse battery staple", via_proxy="192.0.2.50")
    assert response.status_code == 429
