"""Two-factor login: required for administrators, available to everyone, recovery codes for a lost phone."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "correct horse battery staple"  # noqa: S105 - the factories' test password

pytestmark = pytest.mark.django_db


def _log_in(user) -> Client:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _code(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def _set_up(client, user) -> list[str]:
    client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    device.throttle_reset()  # a wrong code before makes the next try wait a second
    response = client.post(reverse("accounts:two_factor_setup"), {"code": _code(device)})
    assert response.status_code == 200
    return list(response.context["codes"])


def test_an_administrator_without_an_authenticator_is_sent_to_set_one_up(admin_user):
    client = _log_in(admin_user)
    for path in (reverse("reporting:dashboard"), reverse("admin:index"), reverse("placements:placement_list")):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:two_factor_setup"))


def test_setting_up_shows_a_qr_code_and_a_key_and_turns_on_with_a_right_code(admin_user):
    client = _log_in(admin_user)
    page = client.get(reverse("accounts:two_factor_setup")).content.decode()
    assert "<svg" in page and "<script" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]
    device = TOTPDevice.objects.get(user=admin_user, confirmed=False)
    assert " ".join(page.split('id="manual-key">', 1)[1].split("<", 1)[0].split()).replace(" ", "")

    wrong = client.post(reverse("accounts:two_factor_setup"), {"code": "000000" if _code(device) != "000000" else "1"})
    assert wrong.status_code == 200
    assert "niet juist" in wrong.content.decode()
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed

    codes = _set_up(client, admin_user)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_qr_code_stays_the_same_on_reload_until_confirmed(admin_user):
    client = _log_in(admin_user)
    first = client.get(reverse("accounts:two_factor_setup")).context["manual_key"]
    second = client.get(reverse("accounts:two_factor_setup")).context["manual_key"]
    assert first == second
    assert TOTPDevice.objects.filter(user=admin_user).count() == 1


def test_the_next_login_asks_for_a_code_and_accepts_the_current_one(admin_user):
    _set_up(_log_in(admin_user), admin_user)
    device = TOTPDevice.objects.get(user=admin_user, confirmed=True)

    client = _log_in(admin_user)
    response = client.get(reverse("admin:index"))
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))

    device.refresh_from_db()
    device.last_t = -1  # the set-up code of this same 30 s step may not be reused; a fresh step may
    device.save()
    wrong = client.post(reverse("accounts:two_factor_verify"), {"code": "12345"})
    assert "niet juist" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()
    response = client.post(
        reverse("accounts:two_factor_verify"), {"code": _code(device), "next": reverse("admin:index")}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_code_cannot_be_used_twice(admin_user):
    _set_up(_log_in(admin_user), admin_user)
    device = TOTPDevice.objects.get(user=admin_user, confirmed=True)
    code = _code(device)  # used for the set-up a moment ago
    client = _log_in(admin_user)
    client.post(reverse("accounts:two_factor_verify"), {"code": code})
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_recovery_code_logs_in_once(admin_user):
    codes = _set_up(_log_in(admin_user), admin_user)

    client = _log_in(admin_user)
    response = client.post(reverse("accounts:two_factor_verify"), {"code": codes[0].upper()}, follow=True)
    assert response.status_code == 200
    assert "9" in " ".join(str(m) for m in response.context["messages"])
    assert client.get(reverse("admin:index")).status_code == 200
    assert StaticToken.objects.filter(token=codes[0]).count() == 0

    again = _log_in(admin_user)
    again.post(reverse("accounts:two_factor_verify"), {"code": codes[0]})
    assert again.get(reverse("admin:index")).status_code == 302


def test_a_password_alone_cannot_add_a_second_authenticator(admin_user):
    _set_up(_log_in(admin_user), admin_user)
    client = _log_in(admin_user)
    response = client.get(reverse("accounts:two_factor_setup"))
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    client.post(reverse("accounts:two_factor_setup"), {"code": "123456"})
    assert TOTPDevice.objects.filter(user=admin_user).count() == 1


def test_a_recruiter_is_not_asked_until_they_turn_it_on(recruiter):
    client = _log_in(recruiter)
    assert client.get(reverse("reporting:dashboard")).status_code == 200
    _set_up(client, recruiter)

    later = _log_in(recruiter)
    assert later.get(reverse("reporting:dashboard"))["Location"].startswith(reverse("accounts:two_factor_verify"))


def test_new_recovery_codes_replace_the_old_ones(admin_user):
    client = _log_in(admin_user)
    old = _set_up(client, admin_user)
    new = client.post(reverse("accounts:recovery_codes_renew")).context["codes"]
    assert not set(old) & set(new)
    assert StaticToken.objects.filter(device__user=admin_user).count() == 10


def test_the_next_parameter_cannot_send_anyone_to_another_site(admin_user):
    client = _log_in(admin_user)
    client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=admin_user, confirmed=False)
    response = client.post(
        reverse("accounts:two_factor_setup"), {"code": _code(device), "next": "https://evil.example/"}
    )
    assert response.context["next"] == reverse("home")


def test_the_token_pages_and_the_api_do_not_ask_for_a_second_factor(admin_user):
    client = _log_in(admin_user)
    assert client.get(reverse("nps:privacy")).status_code == 200
    assert client.get("/api/v1/openapi.json").status_code == 200


def test_wrong_codes_slow_down_the_next_tries(admin_user):
    _set_up(_log_in(admin_user), admin_user)
    device = TOTPDevice.objects.get(user=admin_user, confirmed=True)
    client = _log_in(admin_user)
    client.post(reverse("accounts:two_factor_verify"), {"code": "000001"})
    client.post(reverse("accounts:two_factor_verify"), {"code": "000002"})
    device.refresh_from_db()
    device.last_t = -1
    device.save(update_fields=["last_t"])
    # Even the right code is refused while the wait after two wrong ones runs.
    client.post(reverse("accounts:two_factor_verify"), {"code": _code(device)})
    assert client.get(reverse("admin:index")).status_code == 302
    assert TOTPDevice.objects.get(pk=device.pk).throttling_failure_count >= 1
