"""The newcomer's path: `make run`'s processes stop cleanly on Ctrl-C, the banner says where mail goes,
and the README's manage.py commands work after `make run` through scripts/manage.sh."""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.common import free_port, spawn, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "CELERY_", "DJANGO_", "EMAIL_"))}
    env.pop("SECRET_KEY", None)
    env.update({"VAR_DIR": str(tmp_path), "DEBUG": "true", "PATH": f"{BIN}:{env['PATH']}", "PYTHONUNBUFFERED": "1"})
    env.update(extra)
    return env


def test_ctrl_c_stops_web_worker_and_beat_without_error_lines(tmp_path):
    port = free_port()
    env = _env(tmp_path, PORT=str(port), GUNICORN_BIND=f"127.0.0.1:{port}", SITE_URL=f"http://127.0.0.1:{port}")
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True, timeout=120)
    log_path = tmp_path / "run.log"
    # Its own process group, as a terminal has: Ctrl-C sends SIGINT to every process in it.
    run = spawn([str(BIN / "honcho"), "start", "-f", "Procfile"], env=env, log_path=log_path)
    try:
        wait_for_port(port, seconds=60)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not re.search(r"worker\.1 .*ready\.", log_path.read_text()):
            time.sleep(0.2)
        os.killpg(run.pid, signal.SIGINT)
        run.wait(timeout=60)
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
    log = log_path.read_text()
    assert "ready." in log and "SIGINT received" in log
    assert run.returncode == 130, "scripts/run.sh treats exactly this as the normal end of a run"
    problems = [line for line in log.splitlines() if re.search(r"ERROR|Traceback|Exception|rc=1\b", line)]
    assert problems == []
    assert not (ROOT / "control").exists(), "the broker's control folder belongs under var/"


def test_the_start_banner_says_where_mail_really_goes(tmp_path):
    def where(**extra):
        env = _env(tmp_path, **extra)
        return subprocess.run(
            [sys.executable, "manage.py", "where"], cwd=ROOT, env=env, capture_output=True, text=True
        ).stdout

    assert f"written as .eml files to {tmp_path / 'mail'}" in where()
    smtp = where(EMAIL_URL="smtp+tls://user:geheim@smtp.example.nl:587")
    assert "sent by SMTP to smtp.example.nl:587 (STARTTLS)" in smtp
    assert "geheim" not in smtp


README_COMMANDS = sorted(set(re.findall(r"scripts/manage\.sh (\w+)", (ROOT / "README.md").read_text())))


@pytest.mark.parametrize("command", README_COMMANDS)
def test_the_readmes_manage_commands_run_without_any_setting(tmp_path, command):
    env = _env(tmp_path)
    env.pop("DEBUG")
    result = subprocess.run(
        ["scripts/manage.sh", command, "--help"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "SECRET_KEY" not in result.stderr


def test_without_debug_manage_py_says_how_to_run_it_on_a_laptop(tmp_path):
    env = _env(tmp_path)
    env.pop("DEBUG")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "scripts/manage.sh" in result.stderr
