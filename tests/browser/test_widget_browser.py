"""The website widget in a real browser, embedded in a page of another site (a second local
server, another origin) whose CSS resets everything: the customer finds and opens an
article, sends a request with a file and sees its number; the agent finds it in the inbox;
a draft survives a reload and a send without a connection; hostile text stays inert."""
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from app.attachments.storage import LocalStorage
from app.extensions import db
from tests.browser.conftest import screenshot
from tests.browser.test_phone_layout import assert_fits
from tests.portal_support import PNG

pytestmark = [pytest.mark.browser, pytest.mark.real_commits]

# What a careless or hostile site may do to everything on its pages.
AGGRESSIVE_CSS = """
* { all: unset !important; }
html, body { display: block !important; font-size: 5px !important; }
p, h1 { display: block !important; margin: 40px !important; color: #0a0 !important; }
button, input, textarea, select, form, section, div, span, label, ul, li, a {
  display: none !important; color: red !important; font-size: 40px !important;
  position: absolute !important; left: -999px !important; }
"""
XSS = ["<img src=x onerror=\"window.__pwned='name'\">",
       "\"><script>window.__pwned='subject'</script>",
       "<svg onload=\"window.__pwned='body'\"></svg> <a href=\"javascript:window.__pwned=1\">x</a>"]
LAYOUT_SHIFT = """() => new Promise((resolve) => {
  let total = 0;
  new PerformanceObserver((list) => { for (const e of list.getEntries()) total += e.value; })
    .observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 300);
})"""


class HostSite:
    """Another website on another port (so another origin) serving the pages a test sets."""

    def __init__(self):
        pages = self.pages = {}

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (the standard library's name)
                body = pages.get(self.path.split("?")[0], "not here").encode()
                self.send_response(200 if self.path.split("?")[0] in pages else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def page(self, path: str, *, live: str, key: str, extra: str = "") -> str:
        self.pages[path] = f"""<!doctype html><html><head><meta charset="utf-8">
<title>Shop</title><style>{AGGRESSIVE_CSS}</style></head>
<body><h1>Our shop</h1><p>Products and prices.</p>
<div class="cart"><button>Buy</button></div>
<script src="{live}/static/widget.js" data-key="{key}" {extra} async></script>
</body></html>"""
        return self.origin + path


@pytest.fixture(scope="module")
def host_site():
    site = HostSite()
    yield site
    site.server.shutdown()


@pytest.fixture
def shop(company, host_site, live_app, tmp_path):
    """The company lets the shop's origin show its widget, and has a help article."""
    from app.kb.service import create_article
    from app.staff.models import Staff
    from app.widget.settings import update_widget
    from tenants.resolve import current_tenant

    storage = live_app.extensions.get("attachment_storage")
    live_app.extensions["attachment_storage"] = LocalStorage(tmp_path / "files")

    def setup():
        admin = db.session.get(Staff, company.admin_id)
        update_widget(actor=admin, changes={"allowed_origins": [host_site.origin],
                                            "texts": {"title": "Shop support"}})
        article = create_article(actor=admin, title="Printer shows an error",
                                 body_markdown="Turn the **printer** off and on again.",
                                 public=True, language="en")
        return current_tenant().widget_key, article.id

    company.key, company.article_id = company.run(setup)
    company.url = host_site.page(f"/{company.slug}.html", live=live_app.config["LIVE_URL"],
                                 key=company.key)
    yield company
    live_app.extensions["attachment_storage"] = storage


def _make_tickets(shop) -> None:
    """What the worker does right after a request without files commits (the live server
    runs none): the stored requests become tickets."""
    from app.widget.registration import register_waiting

    with shop.app.app_context():
        register_waiting()
        db.session.remove()


def _open(page, url):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(url, wait_until="load")
    loaded_with = [r for r in requests if "/widget/" in r]
    launcher = page.locator("helpdesk-widget .l")
    expect(launcher).to_be_visible()  # after the page went idle
    assert not loaded_with, "nothing is fetched from the help desk before the page is idle"
    return launcher


def test_a_customer_reads_an_article_then_sends_a_request_with_a_file(page, shop, tmp_path,
                                                                      browser):
    launcher = _open(page, shop.url)
    assert page.evaluate(LAYOUT_SHIFT) == 0
    box = launcher.bounding_box()
    assert box["x"] + box["width"] <= 1280 and box["y"] + box["height"] <= 860
    launcher.click()
    panel = page.get_by_role("dialog", name="Shop support")
    expect(panel).to_be_visible()
    assert 360 <= panel.bounding_box()["width"] <= 400
    expect(page.get_by_label("Your name")).to_be_focused()
    page.get_by_label("Your name").fill("Bob Buyer")
    page.get_by_label("E-mail").fill("bob@client.example")
    page.get_by_label("Subject").fill("My printer shows an error")
    suggestion = page.get_by_role("button", name="Printer shows an error")
    expect(suggestion).to_be_visible()
    suggestion.click()
    expect(page.get_by_role("heading", name="Printer shows an error")).to_be_focused()
    expect(panel.locator("article strong")).to_have_text("printer")
    screenshot(page, "widget-article")
    page.get_by_role("button", name="← Back to the form").click()
    page.get_by_label("How can we help?").fill("Still red after a restart.")
    photo = tmp_path / "printer.png"
    photo.write_bytes(PNG)
    panel.locator("input[type=file]").set_input_files(str(photo))
    expect(panel.locator(".fs li")).to_contain_text("printer.png")
    page.get_by_role("button", name="Send").click()
    expect(panel.locator(".ok")).to_contain_text("#1")
    status = panel.get_by_role("link", name="Follow your request").get_attribute("href")
    assert status.startswith(shop.app.config["LIVE_URL"] + "/p/")
    screenshot(page, "widget-sent")

    agent = browser.new_context(base_url=shop.app.config["LIVE_URL"]).new_page()
    shop.login(agent)
    agent.goto("/app/tickets/")
    expect(agent.locator("[data-ticket-row]").first).to_contain_text("My printer shows an error")
    agent.goto("/app/tickets/1")
    expect(agent.locator(".message .attachments")).to_contain_text("printer.png")
    agent.context.close()


def test_the_draft_survives_a_reload_and_a_lost_connection(page, shop):
    _open(page, shop.url).click()
    page.get_by_label("E-mail").fill("ann@client.example")
    page.get_by_label("Subject").fill("Invoice copy")
    page.get_by_label("How can we help?").fill("Please send the May invoice again.")
    page.wait_for_timeout(400)  # the draft is saved a moment after typing stops
    page.reload(wait_until="load")
    panel = page.get_by_role("dialog", name="Shop support")
    expect(panel).to_be_visible()  # it was open: it opens again
    expect(page.get_by_label("Subject")).to_have_value("Invoice copy")
    expect(page.get_by_label("How can we help?")).to_have_value(
        "Please send the May invoice again.")

    page.context.set_offline(True)
    page.get_by_role("button", name="Send").click()
    alert = panel.get_by_role("alert")
    expect(alert).to_contain_text("Nothing you typed is lost")
    expect(page.get_by_label("How can we help?")).to_have_value(
        "Please send the May invoice again.")
    page.context.set_offline(False)
    alert.get_by_role("button", name="Try again").click()
    expect(panel.locator(".ok")).to_contain_text("#1")
    page.reload(wait_until="load")
    expect(page.get_by_label("Subject")).to_have_value("")  # sent: the draft is gone


def test_fields_are_checked_next_to_them_in_the_visitors_language(page, shop):
    page.context.set_extra_http_headers({"Accept-Language": "ru"})
    page.add_init_script("Object.defineProperty(navigator, 'languages', {get: () => ['ru']})")
    _open(page, shop.url).click()
    panel = page.get_by_role("dialog")
    email = page.get_by_label("Электронная почта")
    email.fill("not an address")
    page.get_by_label("Тема").fill("Счёт")
    page.get_by_role("button", name="Отправить").click()
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(panel.locator("#hdw-e-email")).to_have_text(
        "Введите корректный адрес электронной почты.")
    expect(page.get_by_label("Чем мы можем помочь?")).to_have_attribute("aria-invalid", "true")
    expect(email).to_be_focused()
    screenshot(page, "widget-errors-ru")


def test_hostile_text_stays_inert_for_the_agent(page, shop, browser):
    _open(page, shop.url).click()
    page.get_by_label("Your name").fill(XSS[0])
    page.get_by_label("E-mail").fill("eve@client.example")
    page.get_by_label("Subject").fill(XSS[1])
    page.get_by_label("How can we help?").fill(XSS[2])
    page.get_by_role("button", name="Send").click()
    expect(page.locator("helpdesk-widget .ok")).to_contain_text("#1")
    status = page.locator("helpdesk-widget").get_by_role(
        "link", name="Follow your request").get_attribute("href")
    agent = browser.new_context(base_url=shop.app.config["LIVE_URL"]).new_page()
    agent.goto(status)  # before its ticket is made: the request is being registered
    expect(agent.get_by_test_id("registering")).to_contain_text("1")
    _make_tickets(shop)
    agent.reload()
    expect(agent.locator("h1")).to_contain_text(XSS[1])
    shop.login(agent)
    for address in ("/app/tickets/", "/app/tickets/1"):
        agent.goto(address)
        agent.wait_for_timeout(200)
        assert agent.evaluate("window.__pwned") is None, address
    expect(agent.locator("h1")).to_contain_text(XSS[1])
    expect(agent.locator(".message .body").first).to_contain_text("javascript:window.__pwned=1")
    agent.context.close()


def test_the_widget_fits_a_phone(page, shop):
    page.set_viewport_size({"width": 390, "height": 844})
    _open(page, shop.url).click()
    panel = page.get_by_role("dialog")
    box = panel.bounding_box()
    assert box["x"] >= 0 and box["width"] <= 390.5 and box["height"] <= 844.5  # sub-pixels
    for name in ("E-mail", "Subject", "How can we help?"):
        field = page.get_by_label(name).bounding_box()
        assert field["x"] >= 0 and field["x"] + field["width"] <= 390, name
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    screenshot(page, "widget-phone")


def test_the_admin_page_previews_unsaved_settings_and_fits_a_phone(page, shop):
    shop.login(page)
    page.goto("/app/widget/")
    preview = page.locator("#widget-preview")
    expect(preview.get_by_role("heading", name="Shop support")).to_be_visible()
    expect(preview.get_by_label("Your name")).to_be_visible()
    page.fill("input[name=title]", "Ask the shop")
    expect(preview.get_by_role("heading", name="Ask the shop")).to_be_visible()
    page.uncheck("input[name=on-name]")
    expect(preview.get_by_label("Your name")).to_have_count(0)
    page.locator("[data-field-row=body] [data-move=up]").click()
    labels = preview.locator("form label").all_inner_texts()
    assert labels.index("How can we help? *") < labels.index("Subject *")
    preview.get_by_role("button", name="Send").click()
    expect(preview.get_by_role("alert")).to_contain_text("nothing is sent")
    # A box ticked (input and change at once) is drawn at once: no redraw is left pending to
    # wipe what the preview shows a moment later.
    page.check("input[name=on-name]")
    preview.get_by_role("button", name="Send").click()
    page.wait_for_timeout(400)
    expect(preview.get_by_role("alert")).to_contain_text("nothing is sent")
    page.get_by_role("button", name="Copy").first.click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    screenshot(page, "widget-admin")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash-success")).to_contain_text("Widget settings saved")
    expect(preview.get_by_role("heading", name="Ask the shop")).to_be_visible()
    for width in (390, 717):
        page.set_viewport_size({"width": width, "height": 844})
        for address in ("/app/widget/", "/app/stop-list/"):
            page.goto(address)
            assert_fits(page, address)
    screenshot(page, "stop-list-phone")
