"""A whole evalportal stack of its own for the load and fault scripts.

PostgreSQL (a fresh cluster by initdb), Redis, gunicorn, a Celery worker and
beat, and an SMTP sink, each on a free loopback port (never 5432 or 6379),
started in their own process groups and ended by this object only. The
scripts stop, kill and restart parts of it to see what the rest does.
"""

import asyncio
import collections
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar, DefaultCookiePolicy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.common import BIN, PYTHON, Processes, base_env, free_port, manage, wait_for_port  # noqa: E402

RESERVED = {5432, 6379}
_GIVEN: set[int] = set()


def port() -> int:
    """A free port never handed out before in this run: a port picked for Redis is not bound until Redis starts,
    and the kernel may offer it again meanwhile (to the SMTP sink, say), which left the worker talking SMTP."""
    while (p := free_port()) in RESERVED or p in _GIVEN:
        pass
    _GIVEN.add(p)
    return p


def _pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    raise SystemExit(f"{name} (PostgreSQL server binaries) is needed for the reliability scripts.")


class Checks:
    """PASS/FAIL lines and the summary line the scripts end with."""

    def __init__(self, name: str):
        self.name = name
        self.passed = 0
        self.failed = 0
        self.figures = {}

    def check(self, what: str, ok: bool, detail="") -> bool:
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        print(f"{'PASS' if ok else 'FAIL'} {self.name}: {what}{f' ({detail})' if detail != '' else ''}", flush=True)
        return ok

    def figure(self, name: str, value) -> None:
        self.figures[name] = value
        print(f"     {self.name}: {name} = {value}", flush=True)

    def summary(self) -> str:
        return f"{self.passed} passed, {self.failed} failed"


class Sink:
    """An SMTP server that records Message-IDs; it can refuse (451) or hang for a while."""

    def __init__(self):
        self.lock = threading.Lock()
        self.message_ids = collections.Counter()
        self.mode = "ok"
        self.refused = 0
        self.hung = 0
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        if self.mode == "refuse":
            with self.lock:
                self.refused += 1
            return "451 4.3.0 Try again later"
        if self.mode == "hang":
            with self.lock:
                self.hung += 1
            while self.mode == "hang":
                await asyncio.sleep(0.2)
            return "451 4.3.0 Try again later"  # the client gave up long ago; nothing was accepted
        text = envelope.content.decode("utf-8", "replace")
        found = re.search(r"^Message-ID:\s*(\S+)", text, re.MULTILINE | re.IGNORECASE)
        with self.lock:
            self.message_ids[found.group(1) if found else ""] += 1
        return "250 OK"

    @property
    def received(self) -> int:
        with self.lock:
            return sum(self.message_ids.values())


SETUP = """
import json
from accounts.models import Organisation, User
from outreach import tokens
from nps.models import Invitation, InvitationToken
from placements.api_keys import api_key_create
from placements.models import Integration
from surveys import services
from surveys.models import Topic
from tests import factories
org = Organisation.objects.create(name="Reliability", invitation_delay_days=0, quiet_period_days=0)
user = User.objects.create_user(email="recruiter@reliability.example.nl", organisation=org, first_name="Sam",
                                last_name="Betrouwbaar")
survey = services.survey_create(organisation=org, user=user, name="R", kind="online",
                                topic_ids=list(Topic.objects.values_list("pk", flat=True)[:5]))
services.survey_publish(survey=survey, user=user, revision=survey.revision)
services.default_survey_set(organisation=org, survey=survey)
key = api_key_create(integration=Integration.objects.create(organisation=org, name="ATS"))
version = survey.versions.get()
links = []
for i in range(COUNT):
    contact = factories.make_contact(organisation=org, email=f"manager{i}@klant.example.nl")
    invitation = Invitation.objects.create(organisation=org, contact=contact, recruiter=user, survey_version=version,
                                           status="sent", send_after="2026-01-01T00:00Z", sent_at="2026-01-01T00:00Z",
                                           expires_at="2099-01-01T00:00Z")
    token = tokens.new_token()
    InvitationToken.objects.create(invitation=invitation, token_hash=tokens.token_hash(token))
    links.append([invitation.pk, token])
topics = list(version.topics.values_list("pk", flat=True))
from surveys.models import SurveyVersionTopic
vts = list(SurveyVersionTopic.objects.filter(version=version).order_by("position").values_list("pk", flat=True))
from django.db import connection
connection.cursor().execute(
    "CREATE TABLE IF NOT EXISTS reliability_hello (id bigserial PRIMARY KEY, at timestamptz DEFAULT now())"
)
print("SETUP " + json.dumps({"key": key, "links": links, "version_topics": vts}))
"""


class Stack:
    def __init__(self, *, name: str, web_workers=2, web_threads=8, worker_concurrency=2, env_extra=None):
        self.name = name
        self.processes = Processes()
        self.tmp = Path(tempfile.mkdtemp(prefix=f"evalportal-{name}-"))
        self.pg_port, self.redis_port, self.web_port = port(), port(), port()
        self.sink = Sink()
        self.env_extra = env_extra or {}
        self.web_workers, self.web_threads, self.worker_concurrency = web_workers, web_threads, worker_concurrency
        self.worker = self.beat = self.redis = None

    # PostgreSQL ---------------------------------------------------------------

    def _as_postgres(self, args):
        # initdb and postgres refuse to run as root; a root CI runs them as the postgres user.
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--", *args]
        return args

    def start_postgres(self):
        data = self.tmp / "pg"
        data.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.tmp, "postgres")
            shutil.chown(data, "postgres")
        subprocess.run(
            self._as_postgres([_pg_bin("initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "--no-sync"]),
            check=True,
            capture_output=True,
        )
        self.pg_ctl(
            "start", "-w", "-l", str(self.tmp / "pg" / "server.log"),
            "-o", f"-p {self.pg_port} -k {self.tmp} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
        )  # fmt: skip

    def pg_ctl(self, *args):
        # No pipes: a server started here would hold them open and the call would never return.
        subprocess.run(
            self._as_postgres([_pg_bin("pg_ctl"), "-D", str(self.tmp / "pg"), *args]),
            check=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=60,
        )

    def restart_postgres(self):
        self.pg_ctl("restart", "-w", "-m", "fast", "-l", str(self.tmp / "pg" / "server.log"))

    # Redis --------------------------------------------------------------------

    def start_redis(self):
        server = shutil.which("redis-server")
        if not server:
            raise SystemExit("redis-server is needed for the reliability scripts.")
        self.redis = self.processes.start(
            [server, "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            self.env,
            f"{self.name}-redis",
        )
        wait_for_port(self.redis_port)

    def stop_redis(self):
        os.killpg(self.redis.pid, signal.SIGKILL)
        self.redis.wait()

    # Celery -------------------------------------------------------------------

    def start_worker(self):
        self.worker = self.processes.start(
            [
                str(BIN / "celery"), "-A", "evalportal", "worker", "--concurrency", str(self.worker_concurrency),
                "--without-gossip", "--without-mingle", "--loglevel", "INFO",
            ],
            self.env,
            f"{self.name}-worker",
        )  # fmt: skip

    def kill_worker(self):
        """SIGKILL the worker and its pool processes at once, as a crash or the OOM killer would."""
        os.killpg(self.worker.pid, signal.SIGKILL)
        self.worker.wait()

    def start_beat(self):
        self.beat = self.processes.start(
            [str(BIN / "celery"), "-A", "evalportal", "beat", "-s", str(self.tmp / "beat-schedule"), "-l", "WARNING"],
            self.env,
            f"{self.name}-beat",
        )

    # The whole stack ----------------------------------------------------------

    def __enter__(self):
        from aiosmtpd.controller import Controller

        (ROOT / "var").mkdir(exist_ok=True)
        self.smtp = Controller(self.sink, hostname="127.0.0.1", port=port())
        self.smtp.start()
        self.database_url = f"postgres://postgres@127.0.0.1:{self.pg_port}/postgres"
        self.env = base_env(
            DATABASE_URL=self.database_url,
            EMAIL_URL=f"smtp://127.0.0.1:{self.smtp.port}",
            SITE_URL=f"http://127.0.0.1:{self.web_port}",
            CELERY_BROKER_URL=f"redis://127.0.0.1:{self.redis_port}/0",
            CACHE_URL="locmem://",
            LOG_LEVEL="WARNING",
            **self.env_extra,
        )
        try:
            self.start_postgres()
            self.start_redis()
            manage(self.env, "migrate", "--no-input", "-v0")
            manage(self.env, "collectstatic", "--no-input", "-v0")  # production mode serves the hashed files
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def setup(self, count: int) -> dict:
        out = manage(self.env, "shell", "-c", SETUP.replace("COUNT", str(count)))
        return json.loads(out.split("SETUP ", 1)[1])

    def start_web(self):
        self.processes.start(
            [str(BIN / "gunicorn"), "tests.reliability.hello:application", "-c", "gunicorn.conf.py"],
            self.env
            | {
                "GUNICORN_BIND": f"127.0.0.1:{self.web_port}",
                "GUNICORN_WORKERS": str(self.web_workers),
                "GUNICORN_THREADS": str(self.web_threads),
            },
            f"{self.name}-web",
        )
        wait_for_port(self.web_port)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def sql(self, query: str):
        """One query against the stack's database, through manage.py (no driver needed here)."""
        code = (
            "import json\nfrom django.db import connection\n"
            f"c = connection.cursor(); c.execute({query!r}); print('ROWS ' + json.dumps(c.fetchall(), default=str))"
        )
        return json.loads(manage(self.env, "shell", "-c", code).split("ROWS ", 1)[1])

    def worker_log(self) -> str:
        return (ROOT / "var" / f"bench-{self.name}-worker.log").read_text(errors="replace")

    def __exit__(self, *exc):
        self.processes.stop_all()
        with contextlib.suppress(Exception):  # it may never have started
            self.pg_ctl("stop", "-m", "immediate")
        self.smtp.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)


class Browser:
    """One hiring manager's browser: cookies, and the CSRF token from the page it got."""

    def __init__(self, base: str):
        self.base = base
        # The stack runs in production mode: its cookies are Secure, and this loopback client is plain HTTP.
        jar = CookieJar(policy=_LoopbackPolicy())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
        self.csrf = ""

    def request(self, method: str, path: str, data: dict | list | None = None, timeout=30):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, method=method)
        request.add_header("Referer", self.base + path)
        started = time.monotonic()
        try:
            with self.opener.open(request, timeout=timeout) as response:
                status, headers, text = response.status, response.headers, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            status, headers, text = error.code, error.headers, error.read().decode("utf-8", "replace")
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
        if found:
            self.csrf = found.group(1)
        return status, headers, text, time.monotonic() - started

    def open_survey(self, token: str) -> str:
        status, headers, _, _ = self.request("GET", f"/s/{token}/")
        if status != 302:
            raise RuntimeError(f"token page answered {status}")
        location = headers["Location"]
        self.request("GET", location)
        return location

    def submit(self, location: str, nps: int, scores: dict):
        data = {"csrfmiddlewaretoken": self.csrf, "nps": str(nps), "action": "submit", "comment": "Prima"}
        data.update({f"topic_{pk}": str(score) for pk, score in scores.items()})
        return self.request("POST", location, data)


class _LoopbackPolicy(DefaultCookiePolicy):
    def return_ok_secure(self, cookie, request):
        return True

    def set_ok_domain(self, cookie, request):
        return True

    def return_ok_domain(self, cookie, request):
        return True


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def api_call(base: str, key: str, path: str, body=None, timeout=30):
    data = json.dumps(body).encode() if body is not None else b""
    request = urllib.request.Request(
        base + "/api/v1" + path,
        data=data,
        method="POST",
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - loopback only
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, time.monotonic() - started


def placement_body(prefix: str, i: int) -> dict:
    """The API request an ATS sends for placement `i` of a script (external id `<prefix>-<i>`)."""
    return {
        "external_id": f"{prefix}-{i}",
        "client": f"Klant {i % 20}",
        "recruiter_email": "recruiter@reliability.example.nl",
        "candidate_name": f"Kandidaat {i}",
        "job_title": "Monteur",
        "start_date": "2026-09-01",
        "hiring_manager": {"name": f"Manager {i}", "email": f"{prefix.lower()}-manager{i}@klant.example.nl"},
    }


def open_surveys(base: str, links, clients: int) -> list:
    """Each hiring manager's browser with its survey opened by the token link: (browser, page path)."""

    def open_one(link):
        browser = Browser(base)
        return browser, browser.open_survey(link[1])

    with ThreadPoolExecutor(clients) as pool:
        return list(pool.map(open_one, links))


def run(main) -> int:
    """Run one script's main(checks) and end with its `N passed, N failed` line."""
    checks = Checks(Path(sys.argv[0]).stem.split("_", 1)[0].upper())
    try:
        main(checks)
    except Exception as exc:  # noqa: BLE001 - a crash of the script is a failure, reported as such
        checks.check("the script ran to the end", False, f"{exc.__class__.__name__}: {exc}")
    print(checks.summary(), flush=True)
    return 0 if checks.failed == 0 else 1


__all__ = ["PYTHON", "Browser", "Checks", "Stack", "api_call", "open_surveys", "placement_body", "run"]
