"""An administrator's first login: set up the authenticator, keep the recovery codes, reach the admin."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize("width", [375, 1280])
def test_an_administrator_sets_up_two_factor_login_on_first_login(open_page, admin_user, width):
    desk = open_page(width=width)
    desk.login(admin_user.email)
    page = desk.page
    assert "/accounts/two-factor/" in page.url
    assert page.locator(".qr-code svg").is_visible()
    assert page.locator(".qr-code svg").bounding_box()["width"] <= width
    assert desk.axe_violations() == []

    device = TOTPDevice.objects.get(user=admin_user, confirmed=False)
    page.get_by_role("textbox", name="Code").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Tweestapsverificatie aanzetten").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Uw herstelcodes"
    assert page.locator("ul[aria-label=Herstelcodes] li").count() == 10
    assert desk.axe_violations() == []
    page.get_by_role("link", name="Ik heb ze bewaard — verder").click()
    page.wait_for_load_state("networkidle")
    desk.go("/admin/")
    assert "/admin/" in desk.page.url and "two-factor" not in desk.page.url
    assert desk.errors == []
