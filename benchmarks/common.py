"""Helpers for the benchmark scripts: free ports, owned child processes, a throwaway database."""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
BIN = Path(PYTHON).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing answered on port {port}")


class Processes:
    """Starts child processes in their own process groups and ends exactly those."""

    def __init__(self):
        self.children = []

    def start(self, args, env, log_name):
        log = open(ROOT / "var" / f"bench-{log_name}.log", "w")  # noqa: SIM115 - closed with the process
        child = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.children.append((child, log))
        return child

    def stop_all(self):
        for child, _log in reversed(self.children):
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for child, log in reversed(self.children):
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
            log.close()
        self.children.clear()


def spawn(args, *, env, log_path, cwd=ROOT) -> subprocess.Popen:
    """A child in a session (process group) of its own, its output in `log_path`: end it with os.killpg."""
    with open(log_path, "w") as log:
        return subprocess.Popen(args, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def start_redis(processes: Processes, env) -> tuple[str, subprocess.Popen]:
    """A Redis of its own on a free port: its URL and its process."""
    server = shutil.which("redis-server")
    if not server:
        raise SystemExit("redis-server is needed for this benchmark (apt install redis-server).")
    port = free_port()
    child = processes.start(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], env, "redis"
    )
    wait_for_port(port)
    return f"redis://127.0.0.1:{port}/0", child


def create_database(admin_url: str) -> str:
    """A fresh PostgreSQL database next to the one in admin_url; returns its URL."""
    import psycopg

    name = f"evalportal_bench_{os.getpid()}"
    conn = psycopg.connect(admin_url, connect_timeout=5, autocommit=True)
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    parts = urlsplit(admin_url)
    return urlunsplit(parts._replace(path="/" + name))


def drop_database(admin_url: str, url: str) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    conn = psycopg.connect(admin_url, connect_timeout=5, autocommit=True)
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


def base_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "CELERY_", "EMAIL_URL"))}
    env.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "SECURE_SSL_REDIRECT": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PYTHONUNBUFFERED": "1",
            "LOG_LEVEL": "WARNING",
            # All load comes from one loopback address here.
            "RATELIMIT_API_PER_MINUTE": "10000000",
            "RATELIMIT_TOKEN_PAGES_PER_MINUTE": "10000000",
        }
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


def manage(env, *args, input_text=None) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, input=input_text, capture_output=True, text=True, timeout=600
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def percentile(values, pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


class CpuMeter:
    """CPU seconds used by named process groups while it runs, read from /proc each second (Linux only).

    Approximate: a process that ends between two readings loses its last second.

    `groups` maps a name to the process-group id of a child started by Processes
    (each has a session of its own); `database` names the PostgreSQL database
    whose backends count as "PostgreSQL"; this process is "load generator".
    """

    def __init__(self, groups: dict[str, int], database: str):
        self.groups = {pgid: name for name, pgid in groups.items()}
        self.database = database
        self.seen: dict[int, tuple[str, float]] = {}
        self.start: dict[int, float] = {}
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _group(self, pid: int, fields: list[str], cmdline: str) -> str | None:
        if pid == os.getpid():
            return "load generator"
        if int(fields[2]) in self.groups:  # field 5 of /proc/pid/stat, the process group
            return self.groups[int(fields[2])]
        if cmdline.startswith("postgres:") and f" {self.database} " in cmdline:
            return "PostgreSQL"
        return None

    def _sample(self, *, first: bool = False) -> None:
        tick = os.sysconf("SC_CLK_TCK")
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            pid = int(entry)
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            group = self._group(pid, fields, cmdline)
            if group:
                used = (int(fields[11]) + int(fields[12])) / tick  # utime + stime
                self.seen[pid] = (group, used)
                # What a process used before the meter started does not count; one born later starts at 0.
                self.start.setdefault(pid, used if first else 0.0)

    def _run(self) -> None:
        while not self.stop_event.wait(1):
            self._sample()

    def __enter__(self):
        if Path("/proc/self/stat").exists():
            self._sample(first=True)
            self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop_event.set()
        if self.thread.is_alive():
            self.thread.join()
            self._sample()

    def seconds(self) -> dict[str, float]:
        totals: dict[str, float] = {}
        for pid, (group, used) in self.seen.items():
            totals[group] = totals.get(group, 0.0) + used - self.start.get(pid, 0.0)
        return totals


def staff_browser(user):
    """A Django test client logged in as `user` with a confirmed second factor, as a staff member's browser."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    browser = Client()
    browser.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = browser.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return browser


def time_pages(browser, pages: dict, *, runs: int, slowest: int = 0, target_ms: int = 250) -> tuple[float, int]:
    """Each page once to warm up, then `runs` times through the whole middleware: prints a row per page (median
    and worst ms, queries) and returns the slowest median and the most queries."""
    import statistics

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    print(f"{'page':<28}{'median ms':>11}{'max ms':>9}{'queries':>9}   ({connection.vendor}, target {target_ms} ms)")
    results = []
    for name, url in pages.items():
        assert browser.get(url).status_code == 200  # warm: templates compiled, connection open
        times, queries = [], 0
        for _ in range(runs):
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = browser.get(url)
                times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.status_code
            queries = len(captured.captured_queries)
        for query in sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:slowest]:
            print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:400]}")
        median = statistics.median(times)
        results.append((median, queries))
        print(f"{name:<28}{median:>11.0f}{max(times):>9.0f}{queries:>9}")
    p50 = max(m for m, _q in results)
    print(f"{'within' if p50 <= target_ms else 'OVER'} the target of {target_ms} ms")
    return p50, max(q for _m, q in results)
