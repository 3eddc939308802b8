"""Who may use which URL: every URL pattern of the project, every role.

ACCESS lists each named URL with the method it is called with, the object it
is about, and what each role gets. A URL that is missing from the list fails
the test, so a new page cannot ship without deciding who may open it.

Outcomes: "ok" (the page or its redirect after the action), "login" (sent to
log in), "404" (not found: not theirs, or not their organisation's), "403"
(their role may not do this).

Roles: anonymous; token (a hiring manager who opened the survey link); candidate (a placed candidate who
opened a check-in link); leaver (a placed candidate who left and opened the exit questionnaire link); applicant
(an introduced candidate who opened the experience survey link);
recruiter (owns the placement); team_lead (leads the recruiter's team);
other_recruiter (same organisation, another team); admin; outsider (a
recruiter of another organisation); api_key (the placement's integration); bi_key (a BI tool's read-only key).
"""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from evalportal.health import BEAT, heartbeat_record
from nps import services
from nps.models import FollowUp
from placements.api_keys import api_key_create
from placements.models import Integration, PlacementImport
from tests import factories
from tests.conftest import _client_for

pytestmark = pytest.mark.django_db

ROLES = [
    *("anonymous", "token", "candidate", "leaver", "applicant", "api_key", "bi_key"),
    *("outsider", "other_recruiter", "recruiter", "team_lead", "admin"),
]

# The same answer for every role that is not logged in at all.
NOT_LOGGED_IN = dict.fromkeys(("anonymous", "token", "candidate", "leaver", "applicant", "api_key", "bi_key"), "login")
ORGANISATION = NOT_LOGGED_IN | dict.fromkeys(["other_recruiter", "recruiter", "team_lead", "admin"], "ok")
ORGANISATION_OBJECT = ORGANISATION | {"outsider": "404"}
EVERY_STAFF = ORGANISATION | {"outsider": "ok"}
OWN_OR_TEAM = ORGANISATION_OBJECT | {"other_recruiter": "404"}
UPLOADER_ONLY = OWN_OR_TEAM | {"team_lead": "404", "admin": "404"}
LEADS_ONLY = EVERY_STAFF | {"other_recruiter": "403", "recruiter": "403", "outsider": "403"}
PUBLIC = dict.fromkeys(ROLES, "ok")
ANSWER = dict.fromkeys(ROLES, "404") | {"token": "ok"}
# Posting from a survey page that was never opened with its link: "this link no longer works".
ANSWER_POST = dict.fromkeys(ROLES, "410") | {"token": "ok"}
API = dict.fromkeys(ROLES, "401") | {"api_key": "ok", "bi_key": "403"}
# The read API: a BI tool's read-only key; an ATS's key is told it may not read.
READ_API = dict.fromkeys(ROLES, "401") | {"bi_key": "ok", "api_key": "403"}
# A candidate who opened the check-in link; nobody else, whatever their role.
CHECKIN = dict.fromkeys(ROLES, "404") | {"candidate": "ok"}
# A leaver who opened the exit questionnaire link; nobody else.
LEAVER = dict.fromkeys(ROLES, "404") | {"leaver": "ok"}
# An introduced candidate who opened the experience survey link; nobody else.
APPLICANT = dict.fromkeys(ROLES, "404") | {"applicant": "ok"}
# A candidate's answers: their recruiter and administrators, not the team lead.
CANDIDATE_ANSWERS = OWN_OR_TEAM | {"team_lead": "404"}
ADMIN_SITE = NOT_LOGGED_IN | {
    "outsider": "login",
    "other_recruiter": "login",
    "recruiter": "login",
    "team_lead": "login",
    "admin": "ok",
}

# name: (method, object, {role: outcome})
ACCESS = {
    "home": ("GET", None, EVERY_STAFF),
    "healthz": ("GET", None, PUBLIC),
    "readyz": ("GET", None, PUBLIC),
    "set_language": ("POST", None, PUBLIC),
    "accounts:login": ("GET", None, PUBLIC),
    "accounts:logout": ("POST", None, dict.fromkeys(ROLES, "login")),
    "accounts:two_factor_setup": ("GET", None, EVERY_STAFF),
    "accounts:two_factor_verify": ("GET", None, EVERY_STAFF),
    "accounts:recovery_codes_renew": ("POST", None, EVERY_STAFF),
    "surveys:survey_list": ("GET", None, EVERY_STAFF),
    "surveys:survey_create": ("GET", None, EVERY_STAFF),
    "surveys:survey_edit": ("GET", "survey", ORGANISATION_OBJECT),
    "surveys:survey_preview": ("GET", "survey", ORGANISATION_OBJECT),
    "surveys:survey_publish": ("POST", "survey", ORGANISATION_OBJECT),
    "surveys:survey_duplicate": ("POST", "survey", ORGANISATION_OBJECT),
    "surveys:survey_archive": ("POST", "survey", ORGANISATION_OBJECT),
    "surveys:default_set": ("POST", None, LEADS_ONLY),
    "surveys:client_default_set": ("POST", None, EVERY_STAFF),
    "surveys:client_default_clear": ("POST", "client_pk", ORGANISATION_OBJECT),
    "surveys:topic_list": ("GET", None, EVERY_STAFF),
    "surveys:topic_create": ("GET", None, EVERY_STAFF),
    "surveys:topic_archive": ("POST", "topic", ORGANISATION_OBJECT),
    "placements:client_list": ("GET", None, EVERY_STAFF),
    "placements:client_create": ("GET", None, EVERY_STAFF),
    "placements:client_detail": ("GET", "client", ORGANISATION_OBJECT),
    "placements:client_contacts": ("GET", "client", ORGANISATION_OBJECT),
    "placements:contact_list": ("GET", None, EVERY_STAFF),
    "placements:contact_create": ("GET", None, EVERY_STAFF),
    "placements:contact_edit": ("GET", "contact", ORGANISATION_OBJECT),
    "placements:placement_create": ("GET", None, EVERY_STAFF),
    "placements:placement_edit": ("GET", "placement", OWN_OR_TEAM),
    "placements:placement_close": ("GET", "placement", OWN_OR_TEAM),
    "placements:placement_cancel": ("POST", "placement", OWN_OR_TEAM),
    "placements:placement_outcome": ("POST", "placement", OWN_OR_TEAM),
    "placements:import": ("GET", None, EVERY_STAFF),
    "placements:import_preview": ("GET", "import", UPLOADER_ONLY),
    "nps:privacy": ("GET", None, PUBLIC),
    "nps:answer": ("GET", "invitation_id", ANSWER),
    "nps:thanks": ("GET", "invitation_id", ANSWER),
    "nps:request_call": ("POST", "invitation_id", ANSWER_POST),
    "outreach:token_entry": ("GET", "token", PUBLIC),
    "outreach:unsubscribe": ("GET", "token", PUBLIC),
    "checkins:checkin": ("GET", "checkin", CHECKIN),
    "checkins:thanks": ("GET", "checkin", CHECKIN),
    "checkins:followup_list": ("GET", None, EVERY_STAFF),
    "checkins:followup_detail": ("GET", "candidate_followup", CANDIDATE_ANSWERS),
    "nps:client_rating": ("GET", "placement", UPLOADER_ONLY),
    "nps:commitment_status": ("POST", "commitment", ORGANISATION_OBJECT),
    "reporting:client_mirror": ("GET", "client", OWN_OR_TEAM),
    "reporting:client_review": ("GET", "client", OWN_OR_TEAM),
    "reporting:review_share": ("POST", "client", OWN_OR_TEAM),
    "reporting:share_revoke": ("POST", "share", OWN_OR_TEAM),
    "reporting:shared_review": ("GET", "share_token", PUBLIC),
    "exits:answer": ("GET", "exit_invitation", LEAVER),
    "exits:thanks": ("GET", "exit_invitation", LEAVER),
    "exits:feedback": ("GET", "departed", CANDIDATE_ANSWERS),
    "exits:send_link": ("POST", "departed", CANDIDATE_ANSWERS),
    "exits:patterns": ("GET", None, EVERY_STAFF),
    "exits:client_report": ("GET", "client", ORGANISATION_OBJECT),
    "exits:change_new": ("GET", None, EVERY_STAFF),
    "exits:learning": ("GET", None, EVERY_STAFF),
    "applicants:answer": ("GET", "candidate_survey", APPLICANT),
    "applicants:thanks": ("GET", "candidate_survey", APPLICANT),
    "applicants:vacancy": ("GET", "vacancy", OWN_OR_TEAM),
    "applicants:record_answer": ("POST", "vacancy_applicant", OWN_OR_TEAM),
    "placements:candidates_import": ("GET", None, EVERY_STAFF),
    "reporting:closure": ("GET", None, EVERY_STAFF),
    "reporting:dashboard": ("GET", None, EVERY_STAFF),
    "reporting:probation": ("GET", None, EVERY_STAFF),
    "reporting:probation_placements": ("GET", None, EVERY_STAFF),
    "reporting:probation_checkins": ("GET", None, EVERY_STAFF),
    "reporting:response_list": ("GET", None, EVERY_STAFF),
    "reporting:export_csv": ("GET", None, EVERY_STAFF),
    "reporting:export_xlsx": ("GET", None, EVERY_STAFF),
    "placements:placement_list": ("GET", None, EVERY_STAFF),
    "placements:placement_detail": ("GET", "placement", OWN_OR_TEAM),
    "nps:invitation_resend": ("POST", "invitation", OWN_OR_TEAM),
    "nps:invitation_cancel": ("POST", "invitation", OWN_OR_TEAM),
    "reporting:followup_list": ("GET", None, EVERY_STAFF),
    "nps:followup_detail": ("GET", "followup", OWN_OR_TEAM),
    "nps:response_detail": ("GET", "response", OWN_OR_TEAM),
    "api:openapi-json": ("GET", None, PUBLIC),
    "api_docs": ("GET", None, EVERY_STAFF),
    "api:api-root": ("GET", None, dict.fromkeys(ROLES, "404")),
    "api:placement_upsert": ("POST", None, API | {"api_key": "422"}),
    "api:placement_close": ("POST", "external_id", API),
    "api:placement_read": ("GET", "external_id", API),
    "api:placement_outcome": ("POST", "external_id", API | {"api_key": "422"}),
    "api:placement_departure": ("POST", "external_id", API | {"api_key": "422"}),
    "api:vacancy_upsert": ("POST", None, API | {"api_key": "422"}),
    "api:vacancy_read": ("GET", "vacancy_external_id", API),
    "api:vacancy_candidates": ("POST", "vacancy_external_id", API | {"api_key": "422"}),
    "api:response_list": ("GET", None, READ_API),
    "api:followup_list": ("GET", None, READ_API),
    "api:summary_list": ("GET", None, READ_API),
}
# Every admin page: administrators only (with a second factor, see tests/accounts/test_two_factor.py).
ADMIN_PAGES = ["admin:index", "admin:placements_contact_changelist", "admin:accounts_user_changelist"]


def _url_names(patterns=None, namespace=None):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace) if n) or None
            yield from _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_of_the_project_is_in_the_access_list():
    names = set(_url_names())
    unnamed = [n for n in names if n is None or (n.endswith(":None") and not n.startswith("admin:"))]
    assert not unnamed, "every URL needs a name, so the access list can name it"
    missing = sorted(n for n in names - set(ACCESS) if not n.startswith("admin:"))
    assert not missing, f"decide who may use these URLs and add them to ACCESS: {missing}"
    assert not set(ACCESS) - names, "ACCESS names URLs that no longer exist"


@pytest.fixture
def world(
    organisation, recruiter, other_recruiter, team_lead, admin_user, outsider, django_capture_on_commit_callbacks
):
    integration = Integration.objects.create(organisation=organisation, name="ATS")
    other_integration = Integration.objects.create(organisation=organisation, name="Other ATS")
    reader = Integration.objects.create(organisation=organisation, name="BI", access="read")
    survey = factories.make_default_survey(organisation=organisation, user=recruiter)
    placement = factories.make_placement(recruiter=recruiter, integration=integration, external_id="ats-1")
    factories.make_placement(recruiter=recruiter, integration=other_integration, external_id="ats-2")
    invitation, token = factories.close_and_send(placement, captured=django_capture_on_commit_callbacks)
    response_id = services.response_save(invitation_id=invitation.pk, nps_score=2, answers={}, comment="", submit=True)
    topic = factories.make_topic(organisation=organisation)
    heartbeat_record(name=BEAT)  # readiness answers 200 only after the periodic jobs ran
    checkin, candidate = _candidate_with_a_checkin(recruiter)
    exit_invitation, leaver = _leaver_with_a_link(recruiter, django_capture_on_commit_callbacks)
    introduced, applicant = _applicant_with_a_link(
        integration, placement, recruiter, django_capture_on_commit_callbacks
    )
    objects = {
        "survey": survey.pk,
        "client_pk": placement.client_id,
        "client": placement.client_id,
        "contact": placement.contact_id,
        "topic": topic.pk,
        "placement": placement.pk,
        "invitation": invitation.pk,
        "invitation_id": invitation.pk,
        "followup": FollowUp.objects.get(response=response_id).pk,
        "response": response_id,
        "import": PlacementImport.objects.create(
            organisation=organisation, uploaded_by=recruiter, filename="a.csv", content=b"x"
        ).pk,
        "token": token,
        "external_id": "ats-1",
        "checkin": checkin.pk,
        "candidate_followup": checkin.followup.pk,
        "exit_invitation": exit_invitation.pk,
        **_commitment_and_share(placement, recruiter),
        "departed": exit_invitation.placement_id,
        **introduced,
    }
    hiring_manager = Client()
    hiring_manager.get(reverse("outreach:token_entry", args=[token]))
    clients = {
        "anonymous": Client(),
        "token": hiring_manager,
        "candidate": candidate,
        "leaver": leaver,
        "applicant": applicant,
        "api_key": Client(headers={"Authorization": f"Bearer {api_key_create(integration=integration)}"}),
        "bi_key": Client(headers={"Authorization": f"Bearer {api_key_create(integration=reader)}"}),
        "outsider": _client_for(outsider),
        "other_recruiter": _client_for(other_recruiter),
        "recruiter": _client_for(recruiter),
        "team_lead": _client_for(team_lead),
        "admin": _client_for(admin_user),
    }
    return objects, clients


def _candidate_with_a_checkin(recruiter):
    """A check-in sent, opened by its link and answered low: a follow-up for the recruiter."""
    checkin = factories.make_checkin(recruiter=recruiter)
    token = re.search(r"/s/([A-Za-z0-9_-]{40,})/", mail.outbox[-1].body).group(1)
    candidate = Client()
    candidate.get(reverse("outreach:token_entry", args=[token]))
    return factories.answer_checkin(checkin), candidate


def _commitment_and_share(placement, recruiter):
    """An agreement from an evaluation of the placement's client, and a review report shared with it."""
    from django.utils import timezone

    from nps.models import Commitment
    from outreach import tokens
    from reporting.models import ReportShare

    commitment = Commitment.objects.create(
        organisation=placement.organisation,
        client=placement.client,
        owner="client",
        source="need",
        text="Binnen twee dagen feedback",
        recruiter=recruiter,
    )
    token = tokens.new_token()
    share = ReportShare.objects.create(
        organisation=placement.organisation,
        client=placement.client,
        quarter=20264,
        token_hash=tokens.token_hash(token),
        created_by=recruiter,
        expires_at=ReportShare.expiry(timezone.now()),
    )
    return {"commitment": commitment.pk, "share": share.pk, "share_token": token}


def _leaver_with_a_link(recruiter, captured):
    """A candidate who left, sent the exit questionnaire and opened its link."""
    invitation = factories.make_exit_invitation(recruiter=recruiter, captured=captured)
    token = re.search(r"/s/([A-Za-z0-9_-]{40,})/", mail.outbox[-1].body).group(1)
    leaver = Client()
    leaver.get(reverse("outreach:token_entry", args=[token]))
    return invitation, leaver


def _applicant_with_a_link(integration, placement, recruiter, captured):
    """A vacancy of the placement's client with a rejected candidate, sent the experience survey and opened."""
    from django.utils import timezone

    from applicants.models import CandidateSurvey
    from applicants.services import CANDIDATES
    from placements import applicants

    vacancy, _new = applicants.vacancy_upsert(
        integration=integration,
        external_id="vac-1",
        client=placement.client,
        recruiter=recruiter,
        title="Monteur",
        opened_on=timezone.localdate(),
    )
    today = timezone.localdate()
    row = {"external_id": "k-1", "name": "Piet", "email": "piet@example.nl", "stage": "rejected", "told_on": today}
    with captured(execute=True):
        applicants.applicants_upsert(vacancy=vacancy, rows=[row])
    survey = CandidateSurvey.objects.get()
    CandidateSurvey.objects.filter(pk=survey.pk).update(send_after=timezone.now())
    CANDIDATES.send(survey.pk)
    token = re.search(r"/s/([A-Za-z0-9_-]{40,})/", mail.outbox[-1].body).group(1)
    applicant = Client()
    applicant.get(reverse("outreach:token_entry", args=[token]))
    objects = {
        "vacancy": vacancy.pk,
        "vacancy_applicant": [vacancy.pk, survey.applicant_id],
        "vacancy_external_id": "vac-1",
        "candidate_survey": survey.pk,
    }
    return objects, applicant


def _outcome(response) -> str:
    status = response.status_code
    if status in (301, 302):
        location = response["Location"]
        if re.match(r"^/(accounts|admin)/login/", location):
            return "login"
        return "ok"
    if status in (200, 201, 204):
        return "ok"
    if status == 400:
        return "ok"  # allowed in, and told what was wrong with the empty form
    return str(status)


def _url(name, obj, objects):
    if obj is None:
        return reverse(name)
    return reverse(name, args=objects[obj] if isinstance(objects[obj], list) else [objects[obj]])


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_each_role_gets_what_the_access_list_says(world, name):
    objects, clients = world
    method, obj, expected = ACCESS[name]
    url = _url(name, obj, objects)
    seen = {}
    # Roles that must be refused go first, so an allowed POST cannot change what they would see.
    for role in sorted(ROLES, key=lambda r: expected[r] == "ok"):
        client = clients[role]
        response = (
            client.post(url, content_type="application/json", data={})
            if (method == "POST" and name.startswith("api:"))
            else (client.post(url) if method == "POST" else client.get(url))
        )
        seen[role] = _outcome(response)
        assert seen[role] != "500"
    assert seen == expected


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_the_admin_is_for_administrators_only(world, name):
    _, clients = world
    seen = {role: _outcome(clients[role].get(reverse(name))) for role in ROLES}
    assert seen == ADMIN_SITE


def test_a_team_lead_sees_only_the_team_and_a_recruiter_only_their_own(world, other_recruiter):
    _, clients = world
    theirs = factories.make_placement(recruiter=other_recruiter)
    url = reverse("placements:placement_detail", args=[theirs.pk])
    seen = {role: _outcome(clients[role].get(url)) for role in ("recruiter", "team_lead", "other_recruiter", "admin")}
    assert seen == {"recruiter": "404", "team_lead": "404", "other_recruiter": "ok", "admin": "ok"}


def test_a_token_opens_exactly_one_invitation(world, recruiter, django_capture_on_commit_callbacks):
    objects, clients = world
    second, _ = factories.close_and_send(
        factories.make_placement(recruiter=recruiter), captured=django_capture_on_commit_callbacks
    )
    hiring_manager = clients["token"]
    assert hiring_manager.get(reverse("nps:answer", args=[objects["invitation_id"]])).status_code == 200
    assert hiring_manager.get(reverse("nps:answer", args=[second.pk])).status_code == 404


def test_an_api_key_sees_only_its_integrations_records(world):
    _, clients = world
    api = clients["api_key"]
    assert api.get(reverse("api:placement_read", args=["ats-1"])).status_code == 200
    assert api.get(reverse("api:placement_read", args=["ats-2"])).status_code == 404
    assert api.post(reverse("api:placement_close", args=["ats-2"]), content_type="application/json").status_code == 404


def test_every_page_sends_the_security_headers_and_scripts_only_with_the_nonce(world):
    objects, clients = world
    pages = [name for name, (method, _, expected) in ACCESS.items() if method == "GET" and expected["admin"] == "ok"]
    checked = 0
    for name in [*pages, *ADMIN_PAGES]:
        obj = ACCESS[name][1] if name in ACCESS else None
        response = clients["admin"].get(_url(name, obj, objects), secure=True)
        if response.status_code != 200:
            continue  # a redirect after an action; its target is in the list itself
        csp = response.headers.get("Content-Security-Policy", "")
        if "json" in response["Content-Type"] or "spreadsheet" in response["Content-Type"]:
            continue
        checked += 1
        assert "'unsafe-inline'" not in csp.split("script-src", 1)[-1].split(";", 1)[0], name
        assert "frame-ancestors 'none'" in csp, name
        assert response["X-Frame-Options"] == "DENY", name
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["Strict-Transport-Security"].startswith("max-age="), name
        if "text/html" in response["Content-Type"]:
            found = re.search(r"'nonce-([^']+)'", csp)
            body = response.content.decode()
            for tag in re.findall(r"<script\b[^>]*>", body):
                if 'type="application/json"' in tag:
                    continue  # data for the charts (json_script), never run
                # A page without a nonce in its policy may have no script at all.
                assert found and f'nonce="{found.group(1)}"' in tag, (name, tag)
            assert not re.search(r"\son[a-z]+=\"", body), f"inline event handler on {name}"
    assert checked >= 30


def test_the_session_and_csrf_cookies_are_secure_httponly_and_samesite(client, recruiter):
    response = client.post(
        reverse("accounts:login"),
        {"username": recruiter.email, "password": "correct horse battery staple"},
        secure=True,
    )
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert session["max-age"] == 8 * 60 * 60
    page = client.get(reverse("accounts:login"), secure=True)
    csrf = page.cookies.get("csrftoken") or response.cookies.get("csrftoken")
    if csrf is not None:
        assert csrf["secure"] and csrf["httponly"]
