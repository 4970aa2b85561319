"""The Content-Security-Policy in a real browser: a staff member's pages run with no
violation (no inline script, handler or style, no eval), data-confirm buttons ask before they
act, and the inbox's self-refresh pauses while a row is selected without an htmx eval filter."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.conftest import STRONG_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.real_commits]

# Records every violation the page reports; runs before the page's own scripts. (Injected by
# the browser's debugging protocol, so the CSP does not apply to this script itself.)
PROBE = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(
    `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""
CSP_WORDS = re.compile(r"Content Security Policy|Refused to|securitypolicyviolation|"
                       r"unsafe-eval|evalDisallowed|htmx:.*[Ee]rror", re.I)


@pytest.fixture
def watched(page):
    """The page, with every console message and reported violation collected."""
    page.add_init_script(PROBE)
    page.console_lines = []
    page.on("console", lambda message: page.console_lines.append(
        f"{message.type}: {message.text}"))
    return page


def violations(page) -> list[str]:
    reported = page.evaluate("window.__cspViolations || []")
    logged = [line for line in page.console_lines if CSP_WORDS.search(line)]
    return reported + logged


@pytest.fixture
def office(company):
    """A colleague to remove and a customer's ticket to open."""
    from app.extensions import db
    from app.staff.models import Staff
    from app.staff.service import create_staff
    from app.tickets import service

    def setup():
        admin = db.session.get(Staff, company.admin_id)
        create_staff(actor=admin, name="Carl Colleague", email=f"carl@{company.slug}.example",
                     password=STRONG_PASSWORD, role="agent")
        return service.create_ticket(actor=None, channel="widget", subject="Cannot print",
                                     body="The printer says <b>no</b>.",
                                     requester_email="pat@client.example").number

    company.ticket_number = company.run(setup)
    return company


def test_staff_pages_run_without_a_csp_violation(watched, office):
    page = watched
    office.login(page)
    number = office.ticket_number
    pages = [("/app/", "Company "), ("/app/tickets/", "Tickets"),
             (f"/app/tickets/{number}", "Cannot print"), ("/app/staff/", "Staff"),
             ("/app/tickets/new", "New ticket")]
    for url, heading in pages:
        response = page.goto(url)
        assert response.ok, (url, response.status)
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
        expect(page.locator("h1")).to_contain_text(heading)
        page.wait_for_load_state("load")
        assert page.evaluate("htmx.config.allowEval") is False, url
        assert violations(page) == [], url
        screenshot(page, "csp" + url.replace("/", "-").rstrip("-"))

    # Things that run script or htmx on those pages: the Settings menu, the shortcut help,
    # the live status control, the template search of the composer.
    page.goto("/app/tickets/")
    page.keyboard.press("?")
    expect(page.locator("#shortcut-help")).to_be_visible()
    page.keyboard.press("Escape")
    page.goto(f"/app/tickets/{number}")
    page.wait_for_load_state("load")
    page.locator("#quick-priority select").select_option("high")
    expect(page.get_by_test_id("saved")).to_be_visible()
    expect(page.locator("#header-priority")).to_contain_text("High")
    page.locator("summary", has_text="Settings").click()
    expect(page.locator(".navmenu a", has_text="Staff")).to_be_visible()
    assert violations(page) == []

    # The probe does see a violation when there is one.
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    page.wait_for_function("window.__cspViolations.length > 0")
    assert any("style-src" in v for v in violations(page))


def test_a_data_confirm_button_asks_first(watched, office):
    page = watched
    office.login(page)
    page.goto("/app/staff/")
    row = page.locator("tr", has_text="Carl Colleague")
    expect(row).to_have_count(1)
    asked: list[str] = []

    def dismiss(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(f"{request.method} {request.url}"))
    row.get_by_role("button", name="Remove").click()
    assert asked == ["Remove this staff member?"]
    page.wait_for_timeout(300)
    assert not [r for r in requests if r.startswith("POST")]  # nothing was sent
    expect(page.locator("tr", has_text="Carl Colleague")).to_have_count(1)

    def accept(dialog):
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    row.get_by_role("button", name="Remove").click()
    expect(page.locator(".flash-success")).to_contain_text("Staff member removed")
    expect(page.locator("tr", has_text="Carl Colleague")).to_have_count(0)
    assert asked == ["Remove this staff member?"] * 2
    assert violations(page) == []


def test_the_inbox_poll_pauses_while_a_row_is_selected(watched, office):
    page = watched
    office.login(page)
    page.goto("/app/tickets/")
    page.wait_for_load_state("load")
    polls: list[str] = []
    page.on("request", lambda request: polls.append(request.url)
            if request.headers.get("hx-request") else None)
    # What "every 60s" does on the section, without waiting a minute.
    poll = "htmx.ajax('GET', location.pathname, {source: '#ticket-rows', target: '#ticket-rows'})"

    page.evaluate(poll)
    expect(page.locator("[data-ticket-row]")).to_have_count(1)
    page.wait_for_timeout(300)
    assert len(polls) == 1

    page.keyboard.press("j")
    expect(page.locator("[data-ticket-row].selected")).to_have_count(1)
    page.evaluate(poll)
    page.wait_for_timeout(300)
    assert len(polls) == 1  # skipped: the agent is moving through the list
    expect(page.locator("[data-ticket-row].selected")).to_have_count(1)
    assert violations(page) == []
