"""docker-compose.yml is checked structurally, since no Docker engine runs in CI."""

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_it_has_the_production_services(compose):
    assert {"web", "worker", "beat", "db", "redis", "mail"} <= set(compose["services"])


def test_every_service_has_a_healthcheck_and_dependencies_wait_for_health(compose):
    services = compose["services"]
    for name, service in services.items():
        assert "healthcheck" in service, name
        assert service["healthcheck"]["test"], name
        for dependency, condition in (service.get("depends_on") or {}).items():
            assert dependency in services, (name, dependency)
            assert condition["condition"] == "service_healthy"


def test_data_lives_in_named_volumes(compose):
    declared = set(compose["volumes"])
    for service in compose["services"].values():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if not source.startswith((".", "/")):
                assert source in declared


def test_web_migrates_before_it_starts_and_uses_gunicorn(compose):
    command = compose["services"]["web"]["command"]
    assert command.index("migrate") < command.index("gunicorn")


def test_the_app_services_point_at_postgres_redis_and_smtp(compose):
    for name in ("web", "worker", "beat"):
        env = compose["services"][name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["CELERY_BROKER_URL"].startswith("redis://")
        assert env["EMAIL_URL"].startswith("smtp://")


@pytest.mark.skipif(
    not shutil.which("docker") or subprocess.run(["docker", "compose", "version"], capture_output=True).returncode != 0,
    reason="docker compose is not installed",
)
def test_docker_compose_config_validates():
    result = subprocess.run(["docker", "compose", "config", "--quiet"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
