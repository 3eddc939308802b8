"""Named people (like healthchecks' alice and bob) and their logged-in clients.

The organisation has one team: team_lead leads it, recruiter is in it,
other_recruiter is in the organisation but not in the team. outsider belongs
to another organisation altogether.
"""

import os

import pytest
from django.conf import settings
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from accounts.models import User
from tests import factories

# Property-based tests: a small, fixed-seed profile in the normal suite; HYPOTHESIS_PROFILE=large for more.
hypothesis_settings.register_profile(
    "default",
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
hypothesis_settings.register_profile(
    "large",
    max_examples=2000,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def pytest_configure(config):
    # Tests render pages without running collectstatic first.
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }
    # Hashing passwords at production strength makes every test user cost ~0.3 s; tests only need them to match.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and other cached values never carry over from one test to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def organisation(db):
    return factories.make_organisation(name="Acme Recruitment")


@pytest.fixture
def recruiter(organisation):
    return factories.make_user(
        organisation=organisation, email="sanne@acme-recruitment.nl", first_name="Sanne", last_name="de Vries"
    )


@pytest.fixture
def other_recruiter(organisation):
    return factories.make_user(
        organisation=organisation, email="daan@acme-recruitment.nl", first_name="Daan", last_name="Bakker"
    )


@pytest.fixture
def team_lead(organisation, recruiter):
    lead = factories.make_user(
        organisation=organisation,
        role=User.Role.TEAM_LEAD,
        email="marieke@acme-recruitment.nl",
        first_name="Marieke",
        last_name="Jansen",
    )
    factories.make_team(organisation=organisation, name="Techniek", leads=[lead], members=[recruiter])
    return lead


@pytest.fixture
def admin_user(organisation):
    return factories.make_user(
        organisation=organisation,
        role=User.Role.ADMIN,
        email="anne@acme-recruitment.nl",
        is_staff=True,
    )


@pytest.fixture
def superuser(db):
    """Runs the installation: sees every organisation in the Django admin."""
    return factories.make_user(
        organisation=factories.make_organisation(name="evalportal operations"),
        role=User.Role.ADMIN,
        email="ops@evalportal.example",
        is_staff=True,
        is_superuser=True,
    )


@pytest.fixture
def outsider(db):
    return factories.make_user(
        organisation=factories.make_organisation(name="Other Agency"), email="olaf@other-agency.nl"
    )


def _client_for(user):
    client = Client()
    client.force_login(user)
    if user.is_staff:
        verify_second_factor(client, user)
    return client


def verify_second_factor(client, user):
    """Mark the client's session as verified with an authenticator, as after the real second step."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, name="authenticator", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def recruiter_client(recruiter):
    return _client_for(recruiter)


@pytest.fixture
def other_recruiter_client(other_recruiter):
    return _client_for(other_recruiter)


@pytest.fixture
def team_lead_client(team_lead):
    return _client_for(team_lead)


@pytest.fixture
def admin_client(admin_user):
    return _client_for(admin_user)


@pytest.fixture
def outsider_client(outsider):
    return _client_for(outsider)


@pytest.fixture
def run_tasks(monkeypatch):
    """Run queued Celery tasks in-process with .apply() for this test (no global eager mode)."""
    from celery.app.task import Task

    def apply_async(self, args=None, kwargs=None, **options):  # countdown and the like do not apply in-process
        return self.apply(args=args, kwargs=kwargs)

    monkeypatch.setattr(Task, "apply_async", apply_async)
