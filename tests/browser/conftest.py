"""Browser tests: the real app served from a thread, driven by Debian's Chromium via Playwright.

The browser talks to a separate server thread with its own connections, so these tests work on
COMMITTED data: they are marked ``real_commits`` (the suite's rolled-back transaction is skipped)
and every test signs up its own tenant with a unique slug, so tests never see each other's rows.
Mark each module ``pytestmark = [pytest.mark.browser, pytest.mark.real_commits]``.
CSRF is enabled here, as in production: a real browser posts real forms.
"""
import os
import socket
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app import create_app
from app.config import TestConfig
from app.extensions import db
from tenants import context
from tests.conftest import STRONG_PASSWORD, remove_tenant, unique

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(os.environ.get("BROWSER_SCREENSHOTS", "/tmp/helpdesk-screens"))
TIMEOUT_MS = 10_000


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def live_app(app):
    """A second app on the same (already migrated) test database, with CSRF switched on.

    Depending on ``app`` makes sure the schema was created before the server starts.
    """
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    live = create_app(TestConfig(
        WTF_CSRF_ENABLED=True, BASE_URL=base_url,
        # Every test signs up from 127.0.0.1; the production limits would trip the suite.
        SIGNUP_RATE_LIMIT="1000 per minute", LOGIN_RATE_LIMIT="1000 per minute"))
    live.config["LIVE_URL"] = base_url
    return live


@pytest.fixture(scope="session")
def live_server(live_app):
    """Serve ``live_app`` from a werkzeug server in a daemon thread; yields its base URL."""
    host, port = live_app.config["LIVE_URL"].removeprefix("http://").split(":")
    server = make_server(host, int(port), live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield live_app.config["LIVE_URL"]
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                              headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) per test, in English unless a test switches."""
    browser_context = browser.new_context(base_url=live_server, locale="en-US",
                                          viewport={"width": 1280, "height": 860})
    browser_context.set_default_timeout(TIMEOUT_MS)
    tab = browser_context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    browser_context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def screenshot(tab, name: str) -> Path:
    """Save a full-page screenshot for a human to look at (not compared automatically)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path


_MADE: list = []  # (app, tenant id) of the companies the running test signed up


@pytest.fixture(autouse=True)
def _remove_companies():
    """A browser test's companies are committed (the live server reads them); they go when it
    ends, with all they hold — so nothing of theirs (say a widget request the live server, which
    runs no worker, left for completion) reaches the tests that come after."""
    yield
    while _MADE:
        app, tenant_id = _MADE.pop()
        remove_tenant(app, tenant_id)


class Company:
    """A tenant signed up and committed for one browser test."""

    def __init__(self, live_app, *, language: str = "en"):
        from app.onboarding.signup import sign_up

        self.app = live_app
        self.slug = unique("br")
        self.admin_email = f"admin@{self.slug}.example"
        self.password = STRONG_PASSWORD
        with live_app.app_context():
            result = sign_up(company_name=f"Company {self.slug}", slug=self.slug,
                             admin_name="Ada Admin", admin_email=self.admin_email,
                             password=STRONG_PASSWORD, language=language)
            db.session.commit()
            self.tenant_id = result.tenant.id
            self.admin_id = result.admin.id
            context.clear()
        _MADE.append((live_app, self.tenant_id))

    def run(self, fn):
        """Call ``fn()`` inside this tenant (own app context and session) and commit."""
        with self.app.app_context():
            context.set_tenant(self.tenant_id)
            try:
                value = fn()
                db.session.commit()
                return value
            finally:
                db.session.remove()
                context.clear()

    def login(self, tab, email: str | None = None, password: str | None = None) -> None:
        tab.goto(f"/t/{self.slug}/login")
        tab.fill("input[name=email]", email or self.admin_email)
        tab.fill("input[name=password]", password or self.password)
        tab.click("form button[type=submit]")
        tab.wait_for_url("**/app/**")


@pytest.fixture
def company(live_app, live_server):
    """A fresh tenant with its admin (committed); ``company.login(page)`` signs in."""
    return Company(live_app)
