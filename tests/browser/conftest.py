"""Browser tests: Playwright driving Debian's Chromium (it cannot download its own browser here)."""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

pytestmark = pytest.mark.browser


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip("Chromium is not installed (apt install chromium)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


class Page:
    """A page that records console errors, so a test can assert there were none."""

    def __init__(self, browser, base_url, width):
        self.context = browser.new_context(viewport={"width": width, "height": 900}, locale="nl-NL")
        self.page = self.context.new_page()
        self.base_url = base_url
        self.errors = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        if os.environ.get("BROWSER_DEBUG"):
            self.page.on("request", lambda r: print("REQ", r.method, r.url[:90]))
            self.page.on("requestfinished", lambda r: print("FIN", r.url[:90]))

    def go(self, path):
        self.page.goto(path if path.startswith("http") else self.base_url + path)
        self.page.wait_for_load_state("networkidle")
        return self.page

    def login(self, email, password="correct horse battery staple"):
        page = self.go("/accounts/login/")
        page.fill("#id_username", email)
        page.fill("#id_password", password)
        page.locator("form button[type=submit]", has_text="Inloggen").click()
        page.wait_for_load_state("networkidle")

    def axe_violations(self):
        from axe_playwright_python.sync_playwright import Axe

        results = Axe().run(self.page)
        return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]]


@pytest.fixture
def open_page(browser, live_server):
    pages = []

    def make(width=1280):
        page = Page(browser, live_server.url, width)
        pages.append(page)
        return page

    yield make
    for page in pages:
        page.context.close()
