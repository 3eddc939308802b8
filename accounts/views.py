from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from accounts.forms import LoginForm, OneTimeCodeForm

INVALID_CODE = _("This code is not correct or has expired. Enter the current code from your app, or a recovery code.")


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def home(request):
    """Every role starts at the dashboard, scoped to what it may see."""
    return redirect("reporting:dashboard")


def _next_url(request, default="home"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(default)


@login_required
def two_factor_setup(request):
    """Set up an authenticator app: scan the QR code, confirm with a code, keep the recovery codes."""
    user = request.user
    if user_has_device(user, confirmed=True) and not user.is_verified():
        # Adding an authenticator needs the one already set up; otherwise a stolen password would do.
        return redirect(two_factor.url_with_next("accounts:two_factor_verify", request.get_full_path()))
    device = two_factor.pending_device(user)
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.device_confirm(user=user, device=device, token=form.cleaned_data["code"])
        if codes is not None:
            otp_login(request, device)
            return render(
                request,
                "accounts/two_factor_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        form.add_error("code", INVALID_CODE)
    has_app = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": two_factor.qr_svg(device),
            "manual_key": two_factor.manual_key(device),
            "has_app": has_app,
            "required": two_factor.required(user),
            "next": request.GET.get("next", ""),
        },
    )


@login_required
def two_factor_verify(request):
    """The second step of logging in: a code from the authenticator app or a recovery code."""
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if not user_has_device(user, confirmed=True):
        return redirect(two_factor.url_with_next("accounts:two_factor_setup", request.GET.get("next", "")))
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.device_for_token(user=user, token=form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    ngettext(
                        "You used a recovery code; %(count)d is left.",
                        "You used a recovery code; %(count)d are left.",
                        left,
                    )
                    % {"count": left},
                )
            return redirect(_next_url(request))
        form.add_error("code", INVALID_CODE)
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": request.GET.get("next", "")})


@login_required
@require_POST
def recovery_codes_renew(request):
    """New recovery codes, shown once; only in a session verified with a second factor."""
    if not request.user.is_verified():
        return redirect("accounts:two_factor_verify")
    codes = two_factor.recovery_codes_renew(user=request.user)
    return render(request, "accounts/two_factor_codes.html", {"codes": codes, "next": resolve_url("home")})
