"""The Django admin per organisation: an organisation's administrator sees and changes only its own records."""

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.admin_scope import OrganisationScopedAdmin
from accounts.models import Team, User
from nps import services
from nps.models import FollowUp
from nps.services import privacy
from placements.api_keys import api_key_create
from placements.models import ApiKey, Contact, Integration
from tests import factories
from tests.conftest import _client_for


def _world(organisation, captured):
    """One organisation's records of every kind the admin shows."""
    recruiter = factories.make_user(organisation=organisation)
    admin_user = factories.make_user(organisation=organisation, role=User.Role.ADMIN, is_staff=True)
    factories.make_team(organisation=organisation, leads=[admin_user], members=[recruiter])
    factories.make_default_survey(organisation=organisation, user=recruiter)
    factories.make_topic(organisation=organisation)
    integration = Integration.objects.create(organisation=organisation, name="ATS")
    api_key_create(integration=integration)
    placement = factories.make_placement(recruiter=recruiter, integration=integration, external_id="ats-1")
    invitation, _ = factories.close_and_send(placement, captured=captured)
    response_id = services.response_save(invitation_id=invitation.pk, nps_score=2, answers={}, comment="", submit=True)
    assert FollowUp.objects.filter(response=response_id).exists()
    privacy.personal_data_export(organisation=organisation, email=placement.contact.email, performed_by=admin_user)
    return admin_user


@pytest.fixture
def two(db, django_capture_on_commit_callbacks):
    mine, theirs = factories.make_organisation(name="Acme"), factories.make_organisation(name="Other Agency")
    me = _world(mine, django_capture_on_commit_callbacks)
    _world(theirs, django_capture_on_commit_callbacks)
    return me, _client_for(me), theirs


def _request_of(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def _admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_admin_model_is_scoped_or_for_superusers_only(two):
    me, client, theirs = two
    request = _request_of(me)
    scoped = 0
    for model, model_admin in admin.site._registry.items():
        changelist = client.get(_admin_url(model, "changelist"))
        if not isinstance(model_admin, OrganisationScopedAdmin):
            assert changelist.status_code == 403, model
            continue
        scoped += 1
        assert changelist.status_code == 200, model
        shown = set(changelist.context["cl"].queryset.values_list("pk", flat=True))
        all_rows = model_admin.model._default_manager.all()
        of_theirs = set(
            all_rows.filter(model_admin.organisation_scope(_request_of(User(organisation=theirs, role="admin"))))
            .exclude(model_admin.organisation_scope(request))
            .values_list("pk", flat=True)
        )
        assert of_theirs, f"the test world has no {model.__name__} of the other organisation"
        assert not shown & of_theirs, model
        assert shown, f"the test world has no {model.__name__} of this organisation"
        theirs_one = next(iter(of_theirs))
        # Another organisation's record does not exist here: the admin sends the user back with a message.
        assert client.get(_admin_url(model, "change", theirs_one)).status_code == 302, model
        assert client.get(_admin_url(model, "change", next(iter(shown)))).status_code == 200, model
    assert scoped >= 15


def test_the_index_lists_only_what_an_organisation_administrator_may_use(two):
    _, client, _ = two
    page = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:accounts_user_changelist") in page
    assert reverse("admin:placements_integration_changelist") in page
    for superuser_only in ("auth_group", "otp_totp_totpdevice", "axes_accessattempt"):
        assert f"/admin/{superuser_only.replace('_', '/', 1)}/" not in page, superuser_only


def test_an_organisation_administrator_cannot_make_a_superuser_or_a_user_elsewhere(two):
    me, client, theirs = two
    url = _admin_url(User, "add")
    form = {
        "email": "nieuw@acme.example",
        "role": "admin",
        "password1": "een lang en sterk wachtwoord",
        "password2": "een lang en sterk wachtwoord",
        "usable_password": "true",
        "is_superuser": "on",
        "is_staff": "on",
    }
    page = client.get(url)
    assert page.context["adminform"].form.initial["organisation"] == me.organisation_id  # preselected
    elsewhere = client.post(url, form | {"organisation": theirs.pk})
    assert elsewhere.status_code == 200
    assert "organisation" in elsewhere.context["adminform"].form.errors
    assert not User.objects.filter(email="nieuw@acme.example").exists()

    assert client.post(url, form | {"organisation": me.organisation_id}).status_code == 302
    made = User.objects.get(email="nieuw@acme.example")
    assert (made.organisation_id, made.is_superuser, made.is_staff) == (me.organisation_id, False, True)


def test_an_organisation_administrator_cannot_open_or_take_over_a_superuser(two, superuser):
    me, client, _ = two
    superuser.organisation = me.organisation
    superuser.save(update_fields=["organisation"])
    assert client.get(_admin_url(User, "change", superuser.pk)).status_code == 302
    password_url = reverse("admin:auth_user_password_change", args=[superuser.pk])
    taken = client.post(password_url, {"password1": "overgenomen-123!", "password2": "overgenomen-123!"})
    assert taken.status_code in (302, 404)
    superuser.refresh_from_db()
    assert not superuser.check_password("overgenomen-123!")


def test_related_choices_come_from_the_own_organisation(two):
    me, client, theirs = two
    stranger = User.objects.filter(organisation=theirs).first()
    page = client.post(
        _admin_url(Team, "add"), {"name": "Mixed", "organisation": me.organisation_id, "members": [stranger.pk]}
    )
    assert page.status_code == 200
    assert "members" in page.context["adminform"].form.errors
    assert not Team.objects.filter(name="Mixed").exists()


def test_actions_reach_only_the_own_organisations_records(two):
    _, client, theirs = two
    their_key = ApiKey.objects.get(integration__organisation=theirs)
    client.post(_admin_url(ApiKey, "changelist"), {"action": "revoke", "_selected_action": [their_key.pk]})
    their_key.refresh_from_db()
    assert their_key.revoked_at is None

    their_contact = Contact.objects.get(organisation=theirs)
    client.post(
        _admin_url(Contact, "changelist"),
        {"action": "erase_personal_data", "_selected_action": [their_contact.pk], "confirmed": "yes"},
    )
    their_contact.refresh_from_db()
    assert their_contact.anonymised_at is None


def test_a_superuser_sees_every_organisation(two, superuser):
    client = _client_for(superuser)
    listed = client.get(_admin_url(Contact, "changelist")).context["cl"].queryset
    assert {c.organisation_id for c in listed} >= {two[0].organisation_id, two[2].pk}


def test_other_staff_without_the_administrator_role_get_nothing(two):
    me, _, _ = two
    staff = factories.make_user(organisation=me.organisation, role=User.Role.TEAM_LEAD, is_staff=True)
    assert Client().get(reverse("admin:index")).status_code == 302
    client = _client_for(staff)
    assert client.get(_admin_url(Contact, "changelist")).status_code == 403
