"""The production path, run as production runs it: static files built by the Dockerfile's own script,
DEBUG off, gunicorn with the project's config. Pages, the answer link and the admin must answer 200,
the logs must hold no error, and no token may reach the access log."""

import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

from benchmarks.common import free_port, spawn, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "production-path-password-1"

SETUP = """
import json
from django.utils import timezone
from accounts.models import Organisation, User
from outreach import tokens
from nps.models import Invitation, InvitationToken
from tests import factories
org = Organisation.objects.create(name="Productie")
user = User.objects.create_user(email="recruiter@productie.example.nl", organisation=org, first_name="Ruud",
                                last_name="van 't Hoff", password=PASSWORD)
survey = factories.make_default_survey(organisation=org, user=user)
placement = factories.make_placement(recruiter=user)
invitation = Invitation.objects.create(organisation=org, contact=placement.contact, recruiter=user,
                                       survey_version=survey.versions.get(), status="sent",
                                       send_after=timezone.now(), sent_at=timezone.now(),
                                       expires_at=timezone.now() + timezone.timedelta(days=30))
token = tokens.new_token()
InvitationToken.objects.create(invitation=invitation, token_hash=tokens.token_hash(token))
from checkins.models import CheckIn, CheckInToken
placement.candidate_email = "zoe@example.nl"
placement.save()
checkin = CheckIn.objects.create(organisation=org, placement=placement, recruiter=user, stage="first_week",
                                 planned_on=placement.start_date, send_after=timezone.now(), status="sent",
                                 sent_at=timezone.now(), expires_at=timezone.now() + timezone.timedelta(days=5))
checkin_token = tokens.new_token()
CheckInToken.objects.create(checkin=checkin, token_hash=tokens.token_hash(checkin_token))
import datetime
from exits.models import ExitInvitation, ExitInvitationToken
from placements.services import placement_record_outcome
leaver = factories.make_placement(recruiter=user, candidate_name="Zoë d'Hondt", candidate_email="zoe.d@example.nl",
                                  probation_end_date=datetime.date(2026, 10, 31), probation_end_agreed=True)
leaver = placement_record_outcome(placement=leaver, outcome="left", left_on=datetime.date(2026, 10, 2),
                                  ended_by="candidate", reason="role")
exit_invitation = ExitInvitation.objects.create(organisation=org, placement=leaver, recruiter=user, status="sent",
                                                send_after=timezone.now(), sent_at=timezone.now(),
                                                expires_at=timezone.now() + timezone.timedelta(days=21))
exit_token = tokens.new_token()
ExitInvitationToken.objects.create(invitation=exit_invitation, token_hash=tokens.token_hash(exit_token))
from reporting.models import ReportShare
share_token = tokens.new_token()
ReportShare.objects.create(organisation=org, client=leaver.client, quarter=20264, created_by=user,
                           token_hash=tokens.token_hash(share_token), expires_at=ReportShare.expiry(timezone.now()))
print(json.dumps({"token": token, "checkin_token": checkin_token, "exit_token": exit_token, "email": user.email,
                  "client": leaver.client_id, "share_token": share_token}))
"""


def _run(args, env):
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """gunicorn serving the app with DEBUG off on static files built by scripts/collectstatic.sh."""
    tmp = tmp_path_factory.mktemp("production")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "CELERY_", "DJANGO_", "STATIC"))}
    env.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
            "CELERY_BROKER_URL": "memory://",
            "STATIC_ROOT": str(tmp / "static"),
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": "1",
            "TRUSTED_PROXIES": "127.0.0.1",
            "LOG_LEVEL": "INFO",
            "PYTHON": sys.executable,
            "PYTHONUNBUFFERED": "1",
        }
    )
    _run(["sh", "scripts/collectstatic.sh"], env)
    _run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], env)
    data = json.loads(
        _run([sys.executable, "manage.py", "shell", "-c", f"PASSWORD={PASSWORD!r}\n{SETUP}"], env).splitlines()[-1]
    )
    log_path = tmp / "gunicorn.log"
    child = spawn(
        [sys.executable, "-m", "gunicorn", "evalportal.wsgi", "-c", "gunicorn.conf.py"], env=env, log_path=log_path
    )
    try:
        wait_for_port(port, seconds=60)
        yield {"base": f"http://127.0.0.1:{port}", "log": log_path, "static": tmp / "static", **data}
    finally:
        os.killpg(child.pid, signal.SIGTERM)
        child.wait(timeout=30)


class Browser:
    """Plain HTTP with cookies kept by hand: the app's cookies are Secure, and it sits behind a TLS proxy
    (X-Forwarded-Proto from a trusted address), as in production."""

    def __init__(self, base):
        self.base = base
        self.cookies = SimpleCookie()

    def request(self, path, data=None, headers=None):
        headers = {"X-Forwarded-Proto": "https", "Host": self.base.removeprefix("http://")} | (headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())
        if data is not None:
            headers |= {"Origin": "https://" + headers["Host"], "Content-Type": "application/x-www-form-urlencoded"}
            data = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(self.base + path, data=data, headers=headers)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            response = opener.open(request, timeout=20)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(header)
        return response.status, dict(response.headers), response.read().decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _wait_for_log(path, needle, seconds=5.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if needle in path.read_text():
            return path.read_text()
        time.sleep(0.1)
    return path.read_text()


def test_the_login_page_and_its_static_files_are_served(server):
    browser = Browser(server["base"])
    status, _, body = browser.request("/accounts/login/")
    assert status == 200
    stylesheets = re.findall(r'href="(/static/[^"]+\.css)"', body)
    assert stylesheets and all(re.search(r"\.[0-9a-f]{12}\.css$", s) for s in stylesheets), stylesheets
    for path in stylesheets:
        assert browser.request(path)[0] == 200
    assert (server["static"] / "staticfiles.json").exists()


def test_a_recruiter_logs_in_and_sees_a_staff_page(server):
    browser = Browser(server["base"])
    browser.request("/accounts/login/")
    status, headers, _ = browser.request(
        "/accounts/login/",
        {"username": server["email"], "password": PASSWORD, "csrfmiddlewaretoken": browser.cookies["csrftoken"].value},
    )
    assert status == 302, "the login was refused"
    status, _, body = browser.request("/placements/")
    assert status == 200
    assert "van &#x27;t Hoff" in body or "van &#39;t Hoff" in body or "Ruud" in body


def test_the_answer_link_opens_the_survey(server):
    browser = Browser(server["base"])
    status, headers, _ = browser.request(f"/s/{server['token']}/")
    assert status == 302
    status, _, body = browser.request(headers["Location"])
    assert status == 200
    assert 'value="submit"' in body


def test_the_check_in_link_opens_the_check_in_and_takes_an_answer(server):
    browser = Browser(server["base"])
    status, headers, _ = browser.request(f"/s/{server['checkin_token']}/")
    page = headers["Location"]
    assert status == 302 and "/s/c/" in page
    status, _, body = browser.request(page)
    assert status == 200 and 'name="how_going"' in body
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    status, headers, _ = browser.request(page, {"csrfmiddlewaretoken": token, "how_going": "4"})
    assert status == 302 and headers["Location"].endswith("/thanks/")
    assert browser.request(headers["Location"])[0] == 200


def test_the_exit_link_takes_the_leavers_answers_and_the_report_is_served(server):
    browser = Browser(server["base"])
    status, headers, _ = browser.request(f"/s/{server['exit_token']}/")
    page = headers["Location"]
    assert status == 302 and "/s/e/" in page
    status, _, body = browser.request(page)
    assert status == 200 and 'name="vacancy_score"' in body and "niet naar" in body
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    status, headers, _ = browser.request(page, {"csrfmiddlewaretoken": token, "vacancy_score": "2"})
    assert status == 302 and headers["Location"].endswith("/thanks/")
    assert browser.request(headers["Location"])[0] == 200

    staff = Browser(server["base"])
    staff.request("/accounts/login/")
    staff.request(
        "/accounts/login/",
        {"username": server["email"], "password": PASSWORD, "csrfmiddlewaretoken": staff.cookies["csrftoken"].value},
    )
    status, _, body = staff.request(f"/exits/clients/{server['client']}/report/")
    assert status == 200
    script = re.search(r'src="(/static/js/print\.[0-9a-f]+\.js)"', body)
    assert script, "the report's print script is served from the built, hashed static files"
    assert staff.request(script.group(1))[0] == 200


def test_the_shared_review_report_is_served_without_a_login_and_its_token_stays_out_of_the_log(server):
    status, _, body = Browser(server["base"]).request(f"/r/{server['share_token']}/")
    assert status == 200 and "Evaluatie van onze samenwerking" in body
    log = _wait_for_log(server["log"], '"GET /r/[token]/')
    assert server["share_token"] not in log


def test_the_admin_login_page_is_served(server):
    assert Browser(server["base"]).request("/admin/login/")[0] == 200


def test_liveness_answers_and_the_log_holds_no_error(server):
    browser = Browser(server["base"])
    assert browser.request("/healthz")[0] == 200
    log = _wait_for_log(server["log"], '"GET /healthz"')
    assert "Traceback" not in log
    assert " ERROR " not in log
    assert '" 500 ' not in log


def test_no_token_reaches_the_access_log_and_each_line_has_a_request_id(server):
    browser = Browser(server["base"])
    status, headers, _ = browser.request(f"/s/{server['token']}/unsubscribe/")
    request_id = headers["X-Request-ID"]
    log = _wait_for_log(server["log"], request_id)
    assert server["token"] not in log
    assert server["token"][:16] not in log
    line = next(line for line in log.splitlines() if request_id in line)
    assert "/s/[token]/unsubscribe/" in line


def test_a_request_id_from_the_trusted_proxy_is_kept_and_shown_in_the_access_log(server):
    _, headers, _ = Browser(server["base"]).request("/healthz", headers={"X-Request-ID": "proxy-1234"})
    assert headers["X-Request-ID"] == "proxy-1234"
    assert "request=proxy-1234" in _wait_for_log(server["log"], "request=proxy-1234")
