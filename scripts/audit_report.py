"""Report pip-audit's findings for one lock file, and audit from PyPI what pip-audit could not.

pip-audit asks PyPI for the vulnerabilities of each pinned version
(/pypi/<name>/<version>/json). Where that page does not answer (a mirror or
proxy that serves only project pages), PyPI's project page (/pypi/<name>/json)
still lists the known vulnerabilities of the project's latest release. A pin at
the latest release is audited from that list; a pin behind it is named as not
audited, never counted as clean.

Exit status 1 when any known vulnerability was found, else 0.
Usage: audit_report.py LOCK_FILE PIP_AUDIT_JSON_REPORT
"""

import json
import sys
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

PROJECT_URL = "https://pypi.org/pypi/{name}/json"


class Pin(NamedTuple):
    name: str
    version: str


class Finding(NamedTuple):
    pin: Pin
    vulnerability: str
    fixed_in: str


def pins_in(lock_text: str) -> list[Pin]:
    """The `name==version` lines of a lock file (its own lines, not the files it includes)."""
    pins = []
    for line in lock_text.splitlines():
        line = line.split("#", 1)[0].split(";", 1)[0].strip().rstrip("\\").strip()
        if "==" in line and not line.startswith("-"):
            name, version = line.split("==", 1)
            pins.append(Pin(name.strip(), version.strip()))
    return pins


def same_version(a: str, b: str) -> bool:
    try:
        return Version(a) == Version(b)
    except InvalidVersion:
        return a == b


def latest_release_findings(pin: Pin, project: dict) -> list[Finding] | None:
    """Known vulnerabilities of `pin` from its project page, or None when the page cannot tell.

    The page lists vulnerabilities of the latest release only, so it can tell
    only about a pin at that release.
    """
    if not same_version(project["info"]["version"], pin.version):
        return None
    return [
        Finding(pin, vuln["id"], ", ".join(vuln.get("fixed_in") or []))
        for vuln in project.get("vulnerabilities") or []
        if not vuln.get("withdrawn")
    ]


def fetch_project(name: str) -> dict:
    # S310: the URL is PyPI's fixed https address, not user input.
    url = PROJECT_URL.format(name=canonicalize_name(name))
    request = urllib.request.Request(url, headers={"User-Agent": "evalportal-audit"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
        return json.load(response)


def pip_audit_results(report_path: str) -> dict[str, dict] | None:
    """pip-audit's JSON report by canonical package name, or None when there is none."""
    try:
        with open(report_path) as report:
            dependencies = json.load(report)["dependencies"]
    except (OSError, ValueError, KeyError):
        return None
    return {canonicalize_name(dep["name"]): dep for dep in dependencies}


def audit(lock: str, pins: list[Pin], pip_audit: dict[str, dict] | None, fetch: Callable[[str], dict]) -> int:
    found: list[Finding] = []
    unaudited: list[Pin] = []
    by_pip_audit = 0
    for pin in pins:
        dep = (pip_audit or {}).get(canonicalize_name(pin.name))
        if dep is not None and "skip_reason" not in dep:
            by_pip_audit += 1
            found += [Finding(pin, v["id"], ", ".join(v.get("fix_versions") or [])) for v in dep.get("vulns", [])]
        else:
            unaudited.append(pin)

    def from_project(pin: Pin) -> tuple[Pin, list[Finding] | None, str]:
        try:
            project = fetch(pin.name)
        except Exception as exc:  # noqa: BLE001 (any failure means: not audited)
            return pin, None, f"project page unreachable: {exc}"
        return pin, latest_release_findings(pin, project), f"latest release is {project['info']['version']}"

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(from_project, unaudited))
    by_project = [(pin, findings) for pin, findings, _ in answers if findings is not None]
    not_audited = [(pin, why) for pin, findings, why in answers if findings is None]
    for _, findings in by_project:
        found += findings

    for pin, vulnerability, fixed_in in found:
        print(f"{lock}: {pin.name} {pin.version}: {vulnerability} (fixed in {fixed_in or 'no release yet'})")
    summary = f"{lock}: {len(pins)} pinned packages; pip-audit audited {by_pip_audit}"
    if pip_audit is None:
        summary += " (it gave no report: vulnerability service unreachable?)"
    elif pins and not by_pip_audit:
        summary += " (PyPI's per-version pages did not answer)"
    if by_project:
        summary += f"; PyPI's list for the latest release audited {len(by_project)}"
    summary += f"; {len(found)} known vulnerabilities"
    print(summary)
    if not_audited:
        print(
            f"{lock}: not audited, {len(not_audited)}: "
            + "; ".join(f"{p.name} {p.version} ({why})" for p, why in not_audited)
        )
    return 1 if found else 0


def main(lock: str, report: str) -> int:
    with open(lock) as lock_file:
        pins = pins_in(lock_file.read())
    return audit(lock, pins, pip_audit_results(report), fetch_project)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
