"""A newcomer's first visit, in a real browser: signup, dashboard, departments, staff, event log,
logging out and in again, and the interface in Russian and Kazakh."""
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import expect

from tests.browser.conftest import Company, screenshot
from tests.conftest import STRONG_PASSWORD, unique

pytestmark = [pytest.mark.browser, pytest.mark.real_commits]
TRANSLATIONS = Path(__file__).resolve().parents[2] / "app" / "translations"


def translated(language: str, message: str) -> str:
    """``message`` in ``language`` per the catalog (English while untranslated)."""
    path = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return message
    with path.open("rb") as handle:
        entry = read_po(handle).get(message)
    return entry.string if entry is not None and entry.string else message


def plain(text: str) -> str:
    """Page text with non-breaking and narrow spaces made ordinary, for money assertions."""
    return re.sub(r"[\u00a0\u202f]", " ", text).strip()


def sign_up_in_browser(page, slug: str, language: str = "en") -> None:
    page.goto("/")
    page.get_by_role("link", name="Start with a trial balance").click()
    page.fill("input[name=company_name]", f"Acme {slug}")
    page.fill("input[name=slug]", slug)
    page.fill("input[name=admin_name]", "Nora Newcomer")
    page.fill("input[name=admin_email]", f"nora@{slug}.example")
    page.fill("input[name=password]", STRONG_PASSWORD)
    page.select_option("select[name=language]", language)
    page.get_by_role("button", name="Create my help desk").click()
    page.wait_for_url("**/app/")


def test_newcomer_signs_up_and_sets_up_the_company(page):
    slug = unique("new")
    sign_up_in_browser(page, slug)

    expect(page.locator("h1")).to_have_text(f"Acme {slug}")
    assert plain(page.get_by_test_id("balance").inner_text()) in ("RUB 200.00", "RUB200.00")
    expect(page.locator(".flash-success")).to_contain_text("trial balance is credited")
    shot = screenshot(page, "dashboard")
    assert shot.stat().st_size > 10_000  # a rendered page, not a blank one

    page.locator(".navgroup summary").click()  # set-up pages sit in the Settings menu
    page.get_by_role("link", name="Departments", exact=True).first.click()
    page.fill("section.side input[name=name]", "Billing questions")
    page.fill("section.side textarea[name=description]", "Invoices and refunds")
    page.get_by_role("button", name="Create").click()
    expect(page.locator(".flash-success")).to_contain_text("Billing questions")
    expect(page.locator("table.table")).to_contain_text("Invoices and refunds")
    screenshot(page, "departments")

    page.locator(".navgroup summary").click()
    page.get_by_role("link", name="Staff", exact=True).first.click()
    page.fill("section.side input[name=name]", "Sam Support")
    page.fill("section.side input[name=email]", f"sam@{slug}.example")
    page.fill("section.side input[name=password]", STRONG_PASSWORD)
    page.get_by_role("button", name="Add").click()
    expect(page.locator(".flash-success")).to_contain_text("Sam Support can now log in")
    expect(page.locator("table.table")).to_contain_text(f"sam@{slug}.example")
    screenshot(page, "staff")

    page.get_by_role("link", name="Event log").click()
    log = page.locator("table.events")
    for sentence in ("opened the help desk of", "Trial credit of",
                     "created department “Billing questions”", "added Sam Support as"):
        expect(log).to_contain_text(sentence)
    expect(log).to_contain_text("Billing questions")
    expect(log).to_contain_text("Sam Support")
    screenshot(page, "events")

    # Filtering the log by area leaves only that area's events.
    page.select_option("select[name=action]", "department.")
    page.get_by_role("button", name="Filter").click()
    expect(log.locator("tbody tr")).to_have_count(2)  # the default "Support" and ours
    expect(log).not_to_contain_text("added Sam Support as")


def test_log_out_and_in_again_and_a_wrong_password(page, company):
    company.login(page)
    expect(page.locator(".topbar .who")).to_contain_text("Ada Admin")

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"**/t/{company.slug}/login")
    expect(page.locator(".topbar .who")).not_to_contain_text("Ada Admin")

    page.goto(f"/t/{company.slug}/login")
    page.fill("input[name=email]", company.admin_email)
    page.fill("input[name=password]", "not-the-password-1")
    page.click("form button[type=submit]")
    expect(page.locator(".flash-error")).to_be_visible()
    assert f"/t/{company.slug}/login" in page.url
    screenshot(page, "login-error")

    page.fill("input[name=email]", company.admin_email)
    page.fill("input[name=password]", STRONG_PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url("**/app/")
    expect(page.locator("h1")).to_have_text(f"Company {company.slug}")

    # The failed attempt is in the event log too.
    page.get_by_role("link", name="Event log").click()
    expect(page.locator("table.events")).to_contain_text("Failed sign-in as")


def test_staff_pages_send_a_visitor_to_the_login_page(page, live_server):
    response = page.request.get("/app/", max_redirects=0)
    assert response.status == 302
    assert "/login" in response.headers["location"]


def test_login_by_company_address(page, company):
    page.goto("/")
    page.get_by_role("link", name="Log in").last.click()
    page.fill("input[name=slug]", "no-such-company-here")
    page.click("form button[type=submit]")
    expect(page.locator(".field.has-error .error")).to_be_visible()
    page.fill("input[name=slug]", company.slug)
    page.click("form button[type=submit]")
    page.wait_for_url(f"**/t/{company.slug}/login")
    expect(page.locator("h1")).to_have_text(f"Company {company.slug}")


def test_signup_form_shows_errors_next_to_fields(page, company):
    def field_of(name):
        return page.locator("label.field", has=page.locator(f"[name={name}]"))

    page.goto("/signup")
    page.fill("input[name=company_name]", "Copycat")
    page.fill("input[name=slug]", "Bad Slug!")
    page.fill("input[name=admin_name]", "Cat")
    page.fill("input[name=admin_email]", "not-an-email")
    page.fill("input[name=password]", "short")
    page.get_by_role("button", name="Create my help desk").click()
    for name in ("slug", "admin_email", "password"):
        expect(field_of(name)).to_have_class(re.compile(r"\bhas-error\b"))
        expect(field_of(name).locator(".error")).to_be_visible()
    expect(field_of("company_name")).not_to_have_class(re.compile(r"\bhas-error\b"))
    assert page.input_value("input[name=company_name]") == "Copycat"  # typed input is kept
    screenshot(page, "signup-errors")

    # Everything valid except an address another company already has.
    page.fill("input[name=slug]", company.slug)
    page.fill("input[name=admin_email]", "cat@copycat.example")
    page.fill("input[name=password]", STRONG_PASSWORD)
    page.get_by_role("button", name="Create my help desk").click()
    expect(field_of("slug").locator(".error")).to_contain_text("taken")
    assert "/signup" in page.url


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_pages_render_in_russian_and_kazakh(page, live_app, language):
    # A visitor switches the language on the public pages…
    page.goto("/")
    page.locator(".langs a", has_text=language.upper()).click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator(".mainnav")).to_contain_text(translated(language, "Sign up"))
    expect(page.locator(".hero h1")).to_have_text(
        translated(language, "Customer support for small teams"))

    # …and a company that chose the language at signup works in it after logging in.
    company = Company(live_app, language=language)
    company.login(page)
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert plain(page.get_by_test_id("balance").inner_text()) == "200,00 ₽"
    expect(page.locator(".mainnav")).to_contain_text(translated(language, "Dashboard"))
    balance_card = page.locator(".card.stat", has=page.get_by_test_id("balance"))
    expect(balance_card.locator("h2")).to_have_text(translated(language, "Balance"))
    screenshot(page, f"dashboard-{language}")
