"""The dependency audit counts a pin as clean only when some source could tell about it."""

import importlib.util
import json
from pathlib import Path

import pytest

spec = importlib.util.spec_from_file_location(
    "audit_report", Path(__file__).resolve().parents[2] / "scripts" / "audit_report.py"
)
audit_report = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit_report)
Pin = audit_report.Pin


def project(version, *vulns):
    return {"info": {"version": version}, "vulnerabilities": list(vulns)}


def vuln(vid, withdrawn=None, fixed_in=("9.9",)):
    return {"id": vid, "withdrawn": withdrawn, "fixed_in": list(fixed_in)}


def test_pins_in_reads_own_pins_and_skips_includes_comments_and_markers():
    text = "# header\n-r requirements.lock\nDjango==6.1.3\nfoo==1.0 ; python_version < '3.13'  # why\n\n"
    assert audit_report.pins_in(text) == [Pin("Django", "6.1.3"), Pin("foo", "1.0")]


def test_a_pin_at_the_latest_release_is_audited_from_the_project_page(capsys):
    pages = {"django": project("6.1.3", vuln("PYSEC-1"), vuln("GHSA-old", withdrawn="2026-01-01"))}
    rc = audit_report.audit("lock", [Pin("Django", "6.1.3")], None, lambda name: pages[name.lower()])
    out = capsys.readouterr().out
    assert rc == 1
    assert "Django 6.1.3: PYSEC-1 (fixed in 9.9)" in out
    assert "GHSA-old" not in out
    assert "audited 1; 1 known vulnerabilities" in out


def test_a_pin_behind_the_latest_release_is_named_not_audited_and_not_failed(capsys):
    pages = {"celery": project("6.0", vuln("PYSEC-2"))}
    rc = audit_report.audit("lock", [Pin("celery", "5.7.0")], None, lambda name: pages[name])
    out = capsys.readouterr().out
    assert rc == 0
    assert "PYSEC-2" not in out
    assert "not audited, 1: celery 5.7.0 (latest release is 6.0)" in out


def test_an_unreachable_project_page_is_not_audited(capsys):
    def fetch(name):
        raise OSError("no route")

    assert audit_report.audit("lock", [Pin("x", "1")], None, fetch) == 0
    assert "not audited, 1: x 1 (project page unreachable: no route)" in capsys.readouterr().out


def test_pip_audit_findings_fail_and_its_audited_pins_are_not_looked_up_again(tmp_path, capsys):
    report = tmp_path / "report.json"
    report.write_text(
        json.dumps(
            {
                "dependencies": [
                    {"name": "django", "version": "6.1.3", "vulns": [{"id": "CVE-1", "fix_versions": ["6.1.4"]}]},
                    {"name": "pyyaml", "version": "6.0.4", "skip_reason": "not found on PyPI"},
                ]
            }
        )
    )
    looked_up = []

    def fetch(name):
        looked_up.append(name)
        return project("6.0.4")

    pins = [Pin("Django", "6.1.3"), Pin("PyYAML", "6.0.4")]
    rc = audit_report.audit("lock", pins, audit_report.pip_audit_results(str(report)), fetch)
    out = capsys.readouterr().out
    assert rc == 1
    assert looked_up == ["PyYAML"]
    assert "Django 6.1.3: CVE-1 (fixed in 6.1.4)" in out
    assert "pip-audit audited 1; PyPI's list for the latest release audited 1; 1 known vulnerabilities" in out


@pytest.mark.parametrize("content", ["", "not json", '{"no": "dependencies"}'])
def test_a_missing_or_broken_pip_audit_report_means_it_audited_nothing(tmp_path, content):
    report = tmp_path / "report.json"
    report.write_text(content)
    assert audit_report.pip_audit_results(str(report)) is None


def test_versions_compare_by_meaning():
    assert audit_report.same_version("2.9.0.post0", "2.9.0-post0")
    assert not audit_report.same_version("6.0.3", "6.0.4")


def test_pins_in_reads_a_lock_with_hashes_and_markers():
    text = (
        "# generated\n"
        "amqp==5.4.2 \\\n    --hash=sha256:aa \\\n    --hash=sha256:bb\n"
        "colorama==0.4.6 ; sys_platform == 'win32' \\\n    --hash=sha256:cc\n"
    )
    assert audit_report.pins_in(text) == [Pin("amqp", "5.4.2"), Pin("colorama", "0.4.6")]
