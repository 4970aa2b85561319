""""Show original" in a real browser: the letter in its sandboxed frame, its script does not
run, its inline image shows (embedded), its remote image is never fetched; the page fits a
390 px phone."""
import pytest
from rq import Queue, SimpleWorker

from app.extensions import db
from billing.models import TenantAddon
from tests.browser.conftest import screenshot
from tests.browser.test_phone_layout import assert_fits
from tests.gmail_letters import SCRIPTED, html_letter, png
from tests.gmail_support import fake_google

pytestmark = [pytest.mark.browser, pytest.mark.real_commits]
BOX = "support@shop.example"


@pytest.fixture
def google(live_app, monkeypatch):
    yield from fake_google(live_app, monkeypatch)


def _add_on():
    db.session.add(TenantAddon(addon="gmail"))


def test_show_original_runs_no_script_and_loads_nothing_remote(page, company, live_app,
                                                               google):
    company.run(_add_on)
    # The "remote" image is on a server that answers (the fake Google's, 404): only the
    # frame's policy can keep a response from coming back.
    remote = google.url + "/pixel.gif"
    google.deliver(BOX, html_letter(html=SCRIPTED.replace("https://tracker.example/pixel.gif",
                                                          remote),
                                    images={"logo@client.example": png(3, 2)}))
    answered: list[str] = []
    page.on("response", lambda response: answered.append(response.url))
    page.set_viewport_size({"width": 390, "height": 844})
    company.login(page)
    page.goto("/app/integrations/gmail/")
    page.get_by_role("button", name="Connect Gmail").click()
    page.wait_for_url("**/app/integrations/gmail/")
    redis = live_app.extensions["redis"]
    with live_app.app_context():
        SimpleWorker([Queue("default", connection=redis)], connection=redis).work(burst=True)

    page.goto("/app/tickets/1")
    page.wait_for_load_state("networkidle")
    answered.clear()  # from here on: the original's page and its frame
    page.get_by_test_id("show-original").click()
    page.wait_for_url("**/original")
    headers = page.get_by_test_id("original-headers").inner_text()
    assert "jane@client.example" in headers and "Our logo is broken" in headers
    frame = page.frame_locator('[data-testid="original-frame"]')
    said = frame.locator("#said")
    said.wait_for()
    assert said.inner_text() == "Hello from the letter"  # the letter's script did not run
    logo = frame.locator('img[alt="our logo"]')
    assert logo.evaluate("img => img.complete && img.naturalWidth") == 3  # embedded, shown
    page.wait_for_load_state("networkidle")
    assert any(url.endswith("/original/letter") for url in answered)
    assert remote not in answered
    assert_fits(page, "show original")
    screenshot(page, "phone-390-gmail-original")
    download = page.get_by_test_id("download-eml")
    assert download.get_attribute("href").endswith("/original.eml")
