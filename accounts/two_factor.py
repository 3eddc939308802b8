"""Two-factor login with TOTP (django-otp): who must use it, setting it up, recovery codes.

Administrators always need a second factor; anyone else who set one up is asked
for it too. Recovery codes are single-use static tokens for a lost phone.
"""

import re
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import devices_for_user, user_has_device, verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User

RECOVERY_CODES = 10
APP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery codes"


def _always_required(user: User) -> bool:
    return user.is_staff or user.is_superuser or user.is_org_admin


def required(user: User) -> bool:
    """Administrators always log in with a second factor; others once they set one up."""
    return _always_required(user) or user_has_device(user, confirmed=True)


def next_step(user: User) -> str | None:
    """Where an unverified session must go first: verification, set-up, or nowhere (one device lookup)."""
    if user_has_device(user, confirmed=True):
        return "accounts:two_factor_verify"
    return "accounts:two_factor_setup" if _always_required(user) else None


def url_with_next(viewname: str, next_url: str) -> str:
    """The URL of a two-factor step that returns to `next_url` afterwards."""
    return f"{reverse(viewname)}?{urlencode({'next': next_url})}" if next_url else reverse(viewname)


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed authenticator being set up, the same one on every reload of the page."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URL as an inline SVG QR code: no image request, nothing leaves the page."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


def manual_key(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app without a camera."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def device_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the authenticator with a code from it; return fresh recovery codes, or None if the code is wrong."""
    if not device.verify_token(_digits(token)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return recovery_codes_renew(user=user)


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """Replace the user's recovery codes with new ones; the old ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def device_for_token(*, user: User, token: str):
    """The confirmed device that accepts this code (authenticator or recovery code), or None."""
    code = _digits(token)
    for device in devices_for_user(user, confirmed=True):
        if isinstance(device, TOTPDevice):
            # A recovery code is not an authenticator code: it must not count as a failed try here.
            if not (code.isdigit() and len(code) == device.digits):
                continue
            candidate = code
        else:
            candidate = code.lower()
        verified = verify_token(user, device.persistent_id, candidate)
        if verified is not None:
            return verified
    return None


def _digits(token: str) -> str:
    # People type "123 456" or paste "123-456"; the authenticator means 123456.
    return re.sub(r"[\s-]", "", token or "")
