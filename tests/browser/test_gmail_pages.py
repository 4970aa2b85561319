"""The Gmail pages in a real browser: connect through Google's (fake) consent screen, watch
the first import, read the log — and each page fits a 390 px phone."""
import pytest
from rq import Queue, SimpleWorker

from app.extensions import db
from billing.models import TenantAddon
from tests.browser.conftest import screenshot
from tests.browser.test_phone_layout import assert_fits
from tests.gmail_support import fake_google, letter

pytestmark = [pytest.mark.browser, pytest.mark.real_commits]
BOX = "support@shop.example"


@pytest.fixture
def google(live_app, monkeypatch):
    yield from fake_google(live_app, monkeypatch)


def _add_on():
    db.session.add(TenantAddon(addon="gmail"))


def test_connect_import_and_log_in_the_browser_at_phone_width(page, company, live_app,
                                                              google):
    company.run(_add_on)
    for n in range(3):
        google.deliver(BOX, letter(subject=f"Printer {n}", sender=f"c{n}@client.example"))
    google.deliver(BOX, letter(headers={"Auto-Submitted": "auto-replied"}))
    page.set_viewport_size({"width": 390, "height": 844})
    company.login(page)
    page.goto("/app/integrations/gmail/")
    assert_fits(page, "gmail settings")
    page.get_by_role("button", name="Connect Gmail").click()
    page.wait_for_url("**/app/integrations/gmail/")
    assert BOX in page.content()
    assert page.locator('[data-testid="gmail-progress"]').count() == 1  # the first import
    redis = live_app.extensions["redis"]
    with live_app.app_context():
        SimpleWorker([Queue("default", connection=redis)], connection=redis).work(burst=True)
    page.reload()
    assert page.locator('[data-testid="gmail-imported"]').inner_text() == "3"
    assert page.locator('[data-testid="gmail-progress"]').count() == 0
    assert_fits(page, "gmail settings, imported")
    screenshot(page, "phone-390-gmail-settings")
    page.goto("/app/integrations/gmail/log")
    assert page.locator('[data-testid="gmail-log"] tbody tr').count() == 4
    assert "an automatic reply" in page.content()
    assert_fits(page, "gmail log")
    screenshot(page, "phone-390-gmail-log")
