from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from accounts.forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def home(request):
    """Send each role to the page it starts its day with."""
    for name in ("nps:dashboard", "nps:placement_list"):
        try:
            return redirect(reverse(name))
        except NoReverseMatch:
            continue
    return render(request, "accounts/home.html")
