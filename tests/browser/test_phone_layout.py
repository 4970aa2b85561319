"""Every staff page fits a phone: no sideways scrolling, a header that never covers the page,
and a navigation whose every entry can be reached through the menu button."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.real_commits]

# Words and addresses with no place to break: they must wrap, not widen the page.
LONG_WORD = "Supercalifragilisticexpialidocious" * 3
LONG_URL = "https://example.com/" + "very-long-path-segment/" * 8 + "?query=" + "x" * 60

# What the page looks like, measured in the browser: the document's width against the
# window's, and every visible header box against the top of the main content.
MEASURE = """() => {
  const main = document.querySelector("main").getBoundingClientRect();
  const boxes = [...document.querySelectorAll("header.topbar, header.topbar *")]
    .filter((el) => el.checkVisibility()).map((el) => el.getBoundingClientRect())
    .filter((r) => r.width > 0 && r.height > 0);
  const wide = [...document.querySelectorAll("main *, header *")].filter((el) => {
    const r = el.getBoundingClientRect();
    if (!el.checkVisibility() || r.right <= window.innerWidth + 1) return false;
    for (let p = el.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === "auto" || o === "scroll" || o === "hidden") return false;
    }
    return true;
  }).slice(0, 5)
    .map((el) => `${el.tagName}.${el.className} ${el.getBoundingClientRect().right}`);
  return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
          headerBottom: Math.max(...boxes.map((r) => r.bottom)), mainTop: main.top, wide};
}"""


@pytest.fixture
def office(company):
    """A department and a ticket whose texts are long and unbreakable, as real mail can be."""
    from app.departments.models import Department
    from app.departments.service import create_department
    from app.staff.models import Staff
    from app.tickets import service

    def setup():
        admin = db.session.get(Staff, company.admin_id)
        create_department(actor=admin, name="Escalations " + LONG_WORD[:40],
                          description=f"See {LONG_URL} and {LONG_WORD}")
        support = db.session.scalar(select(Department).where(Department.name == "Support"))
        ticket = service.create_ticket(
            actor=None, channel="widget", subject=f"Cannot open {LONG_WORD}",
            body=f"The link {LONG_URL} answers with an error. {LONG_WORD}",
            requester_email="someone.with.a.rather.long.address@client-company.example",
            requester_name="Bob Buyer", department_id=support.id)
        return ticket.number

    company.number = company.run(setup)
    return company


def _pages(number: int) -> list[str]:
    return ["/app/", "/app/tickets/", f"/app/tickets/{number}", "/app/company/",
            "/app/staff/", "/app/departments/"]


def assert_fits(page, address: str) -> None:
    seen = page.evaluate(MEASURE)
    assert seen["scroll"] <= seen["inner"], f"{address} scrolls sideways: {seen}"
    assert seen["headerBottom"] <= seen["mainTop"] + 0.5, f"{address}: header covers it: {seen}"


@pytest.mark.parametrize("width", [390, 717])
def test_staff_pages_fit_a_narrow_screen(page, office, width):
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(f"/t/{office.slug}/login")
    assert_fits(page, "login")
    office.login(page)
    for address in _pages(office.number):
        page.goto(address)
        assert_fits(page, address)
        screenshot(page, f"phone-{width}-{address.strip('/').replace('/', '-')}")


@pytest.mark.parametrize("width", [390, 717])
def test_menu_button_reaches_every_entry(page, company, width):
    page.set_viewport_size({"width": width, "height": 844})
    company.login(page)
    toggle = page.locator(".topbar .navtoggle")
    expect(toggle).to_be_visible()
    expect(page.locator(".mainnav")).to_be_hidden()  # folded away: it does not cover the page
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator(".topbar .who")).to_contain_text("Ada Admin")
    page.locator(".navgroup summary").click()
    settings = page.locator(".navmenu a")
    assert settings.count() >= 4
    for index in range(settings.count()):
        entry = settings.nth(index)
        expect(entry).to_be_in_viewport()
        box = entry.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, entry.inner_text()
    assert_fits(page, "menu open")
    screenshot(page, f"phone-{width}-menu")
    page.locator(".navmenu a", has_text="Staff").click()
    page.wait_for_url("**/app/staff/")
    expect(page.locator(".mainnav")).to_be_hidden()


def test_wide_screen_shows_the_navigation_without_a_menu_button(page, company):
    company.login(page)
    expect(page.locator(".topbar .navtoggle")).to_be_hidden()
    expect(page.locator(".mainnav")).to_be_visible()
    assert_fits(page, "dashboard")
