"""The direction of the apps: an earlier app never imports a later one (accounts -> placements -> outreach ->
surveys -> nps -> checkins -> exits -> applicants -> reporting). A later app adds to an earlier one through its
hooks and signals.
Templates: an app's pages name no URL or template of a later app; any page may link to reporting's lists by URL
name (a link, not code)."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ORDER = ["accounts", "placements", "outreach", "surveys", "nps", "checkins", "exits", "applicants", "reporting"]
TEMPLATE_ORDER = ORDER[:-1]


def _imports(app: str) -> set[str]:
    found = set()
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("app", ORDER)
def test_an_app_imports_no_app_that_comes_after_it(app):
    later = set(ORDER[ORDER.index(app) + 1 :])
    assert _imports(app) & later == set()


@pytest.mark.parametrize("app", TEMPLATE_ORDER[:-1])
def test_an_apps_templates_name_no_url_or_template_of_a_later_app(app):
    later = TEMPLATE_ORDER[TEMPLATE_ORDER.index(app) + 1 :]
    pattern = re.compile(rf"""['"]({"|".join(later)})[:/]""")
    for template in (ROOT / "templates" / app).rglob("*.html"):
        assert not pattern.search(template.read_text()), template
