"""Dependencies are what the code uses: every imported package declared in pyproject.toml, nothing declared
that nothing imports or needs, and the lock files exactly the closure of what is declared (scripts/lock.sh)."""

import ast
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
APPS = [
    "accounts",
    "applicants",
    "checkins",
    "evalportal",
    "exits",
    "nps",
    "outreach",
    "placements",
    "reporting",
    "surveys",
]
TOOLS = ["tests", "scripts", "benchmarks"]
# Declared for what they do, not for an import: the process runner, a driver, pydantic's email check, a time
# zone table.
NOT_IMPORTED = {"honcho", "psycopg", "email-validator", "tzdata"}
NOT_IMPORTED_DEV = {"pytest-django", "pytest-xdist", "pytest-env", "ruff", "time-machine"}  # plugins and tools

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
RUNTIME = [Requirement(r) for r in PYPROJECT["dependencies"]]
DEV = [Requirement(r) for r in PYPROJECT["optional-dependencies"]["dev"]]


def _imports(folders) -> set[str]:
    found = set()
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Import):
                    found |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    found.add(node.module.split(".")[0])
    local = set(APPS) | set(TOOLS)
    return {m for m in found if m not in sys.stdlib_module_names and m not in local}


def _distributions(modules: set[str]) -> set[str]:
    owners = metadata.packages_distributions()
    return {canonicalize_name(owners[m][0]) for m in modules}


def _pins(lock: str) -> dict[str, str]:
    text = (ROOT / lock).read_text()
    return {canonicalize_name(n): v for n, v in re.findall(r"^([A-Za-z0-9_.-]+)==([^\s;\\]+)", text, re.MULTILINE)}


def _closure(requirements: list[Requirement]) -> set[str]:
    """Every distribution the requirements pull in on this platform, from the installed metadata."""
    seen: set[str] = set()
    todo = [(r, frozenset(r.extras)) for r in requirements]
    while todo:
        requirement, extras = todo.pop()
        name = canonicalize_name(requirement.name)
        key = f"{name}[{','.join(sorted(extras))}]"
        if key in seen:
            continue
        seen.add(key)
        for raw in metadata.requires(name) or []:
            sub = Requirement(raw)
            environments = [{"extra": e} for e in extras] or [{"extra": ""}]
            if sub.marker is None or any(sub.marker.evaluate(env) for env in environments):
                todo.append((sub, frozenset(sub.extras)))
    return {key.split("[")[0] for key in seen}


def test_every_package_the_app_imports_is_declared():
    declared = {canonicalize_name(r.name) for r in RUNTIME}
    assert _distributions(_imports(APPS)) - declared == set()


def test_every_package_the_tests_and_scripts_import_is_declared():
    declared = {canonicalize_name(r.name) for r in RUNTIME + DEV}
    assert _distributions(_imports(TOOLS)) - declared == set()


def _named_in_settings() -> set[str]:
    """Packages the settings load by name: apps, middleware, authentication backends."""
    from django.conf import settings

    dotted = [*settings.INSTALLED_APPS, *settings.MIDDLEWARE, *settings.AUTHENTICATION_BACKENDS]
    return {d.split(".")[0] for d in dotted} - set(APPS) - {"django"}


def test_nothing_is_declared_that_nothing_uses():
    imported = _distributions(_imports(APPS) | _imports(TOOLS) | _named_in_settings())
    unused = {canonicalize_name(r.name) for r in RUNTIME + DEV} - imported - NOT_IMPORTED - NOT_IMPORTED_DEV
    assert unused == set()


@pytest.mark.parametrize(
    ("lock", "requirements"), [("requirements.lock", RUNTIME), ("requirements-dev.lock", RUNTIME + DEV)]
)
def test_each_lock_pins_exactly_what_is_declared_and_nothing_else(lock, requirements):
    pins = _pins(lock)
    # Pins that apply to another platform only (colorama on Windows) are not installed here.
    here = {name for name in pins if _installed(name)}
    assert _closure(requirements) == here
    for requirement in requirements:
        assert Version(pins[canonicalize_name(requirement.name)]) in requirement.specifier, requirement


def test_the_locks_carry_hashes_and_agree_with_each_other():
    runtime, dev = _pins("requirements.lock"), _pins("requirements-dev.lock")
    assert {name: dev[name] for name in runtime} == runtime
    for lock in ("requirements.lock", "requirements-dev.lock"):
        text = (ROOT / lock).read_text()
        assert text.count("==") <= text.count("--hash=sha256:"), f"{lock}: every pin needs its hashes"


def test_the_image_installs_with_hashes_required():
    assert "--require-hashes -r requirements.lock" in (ROOT / "Dockerfile").read_text()


def _installed(name: str) -> bool:
    try:
        metadata.version(name)
    except metadata.PackageNotFoundError:
        return False
    return True
