"""Throughput of the main flow: placements created and closed through the API, sent by Celery.

Starts its own Redis, gunicorn, a Celery worker (2 processes) and an SMTP sink on free
loopback ports, in a throwaway PostgreSQL database; prints a table (with the CPU each
part used per placement, read from /proc on Linux) and, last:
BENCH invites=<n> sent=<n> duplicates=<n> seconds=<s> api_p99_ms=<x>

    .venv/bin/python benchmarks/invitations.py [--count 10000] [--database-url postgres://...]
"""

import argparse
import collections
import http.client
import json
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import (  # noqa: E402
    BIN,
    ROOT,
    CpuMeter,
    Processes,
    base_env,
    create_database,
    drop_database,
    free_port,
    manage,
    percentile,
    start_redis,
    wait_for_port,
)

SETUP = """
from accounts.models import Organisation, User
from placements.api_keys import api_key_create
from placements.models import Integration
from surveys import services
from surveys.models import Topic
org = Organisation.objects.create(name="Bench", invitation_delay_days=0, quiet_period_days=0)
user = User.objects.create_user(email="recruiter@bench.example.nl", organisation=org, first_name="Sam",
                                last_name="Bench")
survey = services.survey_create(organisation=org, user=user, name="Bench", kind="online",
                                topic_ids=list(Topic.objects.values_list("pk", flat=True)[:5]))
services.survey_publish(survey=survey, user=user, revision=survey.revision)
services.default_survey_set(organisation=org, survey=survey)
print("KEY", api_key_create(integration=Integration.objects.create(organisation=org, name="ATS")))
"""


class Sink:
    def __init__(self):
        self.lock = threading.Lock()
        self.message_ids = collections.Counter()
        self.first = None
        self.last = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        text = envelope.content.decode("utf-8", "replace")
        message_id = next(
            (line.split(":", 1)[1].strip() for line in text.splitlines() if line.lower().startswith("message-id:")), ""
        )
        with self.lock:
            self.message_ids[message_id] += 1
            now = time.monotonic()
            self.first = self.first or now
            self.last = now
        return "250 OK"

    @property
    def received(self) -> int:
        return sum(self.message_ids.values())


class Api:
    """An ATS's HTTP client: one kept-alive connection per thread, like requests.Session.

    A connection the server closed meanwhile (keep-alive timeout, a recycled
    worker) is replaced and the request sent again, as urllib3 does; every call
    of the API is idempotent.
    """

    def __init__(self, port: int, key: str):
        self.port = port
        self.headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
        self.local = threading.local()

    def post(self, path, body=None):
        data = json.dumps(body).encode() if body is not None else b""
        started = time.monotonic()
        for attempt in (1, 2):
            connection = getattr(self.local, "connection", None)
            if connection is None:
                connection = self.local.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            try:
                connection.request("POST", "/api/v1" + path, body=data, headers=self.headers)
                response = connection.getresponse()
                response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                connection.close()
                self.local.connection = None
                if attempt == 2:
                    raise
                continue
            if response.will_close:
                connection.close()
                self.local.connection = None
            return response.status, (time.monotonic() - started) * 1000
        raise AssertionError("unreachable")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--clients", type=int, default=8, help="concurrent API clients")
    parser.add_argument("--web-workers", default="2", help="gunicorn worker processes")
    parser.add_argument("--web-threads", default="4", help="threads per gunicorn worker")
    parser.add_argument("--timeout", type=int, default=300, help="seconds to wait for all emails")
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    )
    args = parser.parse_args()
    (ROOT / "var").mkdir(exist_ok=True)
    processes = Processes()
    database = None
    from aiosmtpd.controller import Controller

    sink = Sink()
    smtp = Controller(sink, hostname="127.0.0.1", port=free_port())
    smtp.start()
    try:
        database = create_database(args.database_url)
        web_port = free_port()
        env = base_env(
            DATABASE_URL=database, EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}", SITE_URL=f"http://127.0.0.1:{web_port}"
        )
        env["CELERY_BROKER_URL"], redis = start_redis(processes, env)
        manage(env, "migrate", "--no-input", "-v0")
        key = manage(env, "shell", "-c", SETUP).split("KEY", 1)[1].strip()
        web = processes.start(
            [str(BIN / "gunicorn"), "evalportal.wsgi", "-c", "gunicorn.conf.py"],
            env
            | {
                "GUNICORN_BIND": f"127.0.0.1:{web_port}",
                "GUNICORN_WORKERS": args.web_workers,
                "GUNICORN_THREADS": args.web_threads,
            },
            "web",
        )
        worker = processes.start(
            [
                str(BIN / "celery"),
                "-A",
                "evalportal",
                "worker",
                "--concurrency",
                "2",
                "--without-gossip",
                "--without-mingle",
                "--loglevel",
                "WARNING",
            ],
            env,
            "worker",
        )
        wait_for_port(web_port)
        api = Api(web_port, key)
        latencies, errors = [], collections.Counter()

        def one(i):
            body = {
                "external_id": f"B-{i}",
                "client": f"Client {i % 200}",
                "recruiter_email": "recruiter@bench.example.nl",
                "candidate_name": f"Kandidaat {i}",
                "job_title": "Monteur",
                "start_date": "2026-09-01",
                "hiring_manager": {"name": f"Manager {i}", "email": f"manager{i}@client.example.nl"},
            }
            for path, payload in (("/placements", body), (f"/placements/B-{i}/close", None)):
                try:
                    status, ms = api.post(path, payload)
                    latencies.append(ms)
                    if status >= 400:
                        errors[status] += 1
                except Exception as exc:  # noqa: BLE001 - counted and reported
                    errors[type(exc).__name__] += 1

        groups = {"web (gunicorn)": web.pid, "Celery worker": worker.pid, "Redis": redis.pid}
        with CpuMeter(groups, database=urlsplit(database).path.lstrip("/")) as cpu:
            started = time.monotonic()
            with ThreadPoolExecutor(args.clients) as pool:
                list(pool.map(one, range(args.count)))
            api_seconds = time.monotonic() - started
            deadline = started + args.timeout
            while sink.received < args.count and time.monotonic() < deadline:
                time.sleep(0.5)
            seconds = (sink.last or time.monotonic()) - started
        time.sleep(2)  # late duplicates would arrive now
        duplicates = sum(n - 1 for n in sink.message_ids.values() if n > 1)
        distinct = len(sink.message_ids)
        p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
        rows = [
            ("placements created and closed", args.count),
            ("API requests", len(latencies)),
            ("API errors", dict(errors) or 0),
            ("API phase (s)", round(api_seconds, 1)),
            ("API p50 (ms)", round(p50, 1)),
            ("API p99 (ms)", round(p99, 1)),
            ("emails received by SMTP", sink.received),
            ("distinct Message-IDs", distinct),
            ("duplicates", duplicates),
            ("first request to last email (s)", round(seconds, 1)),
            *(
                (f"CPU ms per placement: {name}", round(used * 1000 / args.count, 1))
                for name, used in sorted(cpu.seconds().items(), key=lambda item: -item[1])
            ),
            ("goal", f"all {args.count} within {args.timeout} s, 0 duplicates"),
        ]
        width = max(len(name) for name, _ in rows)
        for name, value in rows:
            print(f"{name:<{width}}  {value}")
        print(
            f"BENCH invites={args.count} sent={distinct} duplicates={duplicates} seconds={seconds:.1f} "
            f"api_p99_ms={p99:.0f}"
        )
        return 0 if distinct == args.count and duplicates == 0 and not errors else 1
    finally:
        processes.stop_all()
        smtp.stop()
        if database:
            drop_database(args.database_url, database)


if __name__ == "__main__":
    sys.exit(main())
