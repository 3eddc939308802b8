"""Start-up refuses bad configuration in one line, and production settings pass check --deploy."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, **env_overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "DJANGO_"))}
    env.update({"DEBUG": "true", "SECRET_KEY": ""}, **env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DATABASE_URL", "mysqlx://nobody@nowhere/db"),
        ("DATABASE_URL", "not a url"),
        ("DEBUG", "perhaps"),
        ("EMAIL_URL", "carrier-pigeon://loft"),
        ("EMAIL_URL", "smtp://user:secret@smtp.example.nl:587"),
        ("CACHE_URL", "memcached://x"),
        ("EMAIL_TIMEOUT", "ten"),
        ("DB_PREPARE_THRESHOLD", "sometimes"),
    ],
)
def test_a_malformed_variable_stops_start_up_with_one_line_naming_it(name, value):
    result = _manage("check", **{name: value})
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert name in lines[0]
    assert "Traceback" not in result.stderr


def test_it_refuses_to_start_without_a_real_secret_key_when_debug_is_off():
    result = _manage("check", DEBUG="false", SECRET_KEY="short")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    result = _manage("check", DEBUG="false", SECRET_KEY="")
    assert "SECRET_KEY" in result.stderr


def _env_example() -> dict:
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key] = value
    return values


def test_check_deploy_is_clean_with_the_production_example_values():
    values = _env_example()
    values["SECRET_KEY"] = "x7Gv2" * 12
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **values)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_every_variable_the_settings_read_is_documented_in_env_example():
    text = (ROOT / "evalportal" / "settings.py").read_text() + (ROOT / "evalportal" / "config.py").read_text()
    read = set(re.findall(r'(?:read_env\(env\.\w+, |environ\.get\(|env\.str\()"([A-Z_]+)"', text))
    assert {"DATABASE_URL", "SECRET_KEY", "CELERY_BROKER_URL", "EMAIL_URL", "SITE_URL"} <= read
    # TEST_* variables only steer the test command (README, "The slower test groups").
    assert {name for name in read if not name.startswith("TEST_")} - set(_env_example()) == set()


def test_the_web_server_loads_the_broker_transport_before_its_workers_start_without_connecting():
    # Port 9 (discard) has no broker: loading must not try to reach it.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "DJANGO_"))}
    env.update(DEBUG="true", CELERY_BROKER_URL="redis://127.0.0.1:9/0")
    code = "import sys, evalportal.wsgi; print('kombu.transport.redis' in sys.modules, 'nps.tasks' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True"]


@pytest.mark.parametrize(("value", "threshold"), [(None, 1), ("5", 5), ("0", 0), ("off", None)])
def test_postgresql_connections_prepare_repeated_statements_unless_turned_off(monkeypatch, value, threshold):
    import environ

    from evalportal.config import read_database

    monkeypatch.setenv("DATABASE_URL", "postgres://app@db.example.nl:5432/evalportal")
    if value is None:
        monkeypatch.delenv("DB_PREPARE_THRESHOLD", raising=False)
    else:
        monkeypatch.setenv("DB_PREPARE_THRESHOLD", value)
    options = read_database(environ.Env(), default="sqlite:///unused.sqlite3")["OPTIONS"]
    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == threshold


def test_the_production_example_sends_mail_with_starttls():
    example = (ROOT / ".env.example").read_text()
    url = re.search(r"^EMAIL_URL=(\S+)", example, re.MULTILINE).group(1)
    assert url.startswith("smtp+tls://") and url.endswith(":587")
    assert _manage("check", EMAIL_URL=url).returncode == 0
