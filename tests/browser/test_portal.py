"""The customer portal in a real browser (CSRF on, as in production): open the status link,
reply with a file, confirm the problem is solved, rate it; hostile text stays inert; every
portal page fits a phone."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from tests.browser.conftest import screenshot
from tests.browser.test_phone_layout import assert_fits
from tests.portal_support import PNG

pytestmark = [pytest.mark.browser, pytest.mark.real_commits]

XSS = [
    "<script>alert('subject')</script>",
    "<img src=x onerror=alert('img')>",
    "<svg/onload=alert('svg')>",
    "\"><iframe src=javascript:alert('frame')>",
    "<a href=\"javascript:alert('link')\">click me</a>",
    "{{ 7*7 }} ${7*7} <style>body{display:none}</style>",
]


def _ticket(subject: str, body: str, *, email: str = "jane@client.example") -> tuple[int, str]:
    """A request from the website widget, and its status link (as the widget answers it)."""
    from app.portal.links import status_url
    from app.tickets import service

    ticket = service.create_ticket(actor=None, channel="widget", subject=subject, body=body,
                                   requester_email=email, requester_name="Jane Client")
    return ticket.number, status_url(ticket, external=False)


def _state(number: int):
    from app.portal.models import TicketRating
    from app.tickets.models import Ticket

    ticket = db.session.scalar(select(Ticket).where(Ticket.number == number))
    rating = db.session.scalar(select(TicketRating).where(TicketRating.ticket_id == ticket.id))
    return ticket.status, rating.score if rating else None, rating.comment if rating else None


def test_customer_replies_confirms_and_rates(page, company, tmp_path):
    number, url = company.run(lambda: _ticket("Printer on fire", "It smokes."))
    photo = tmp_path / "smoke.png"
    photo.write_bytes(PNG)
    page.goto(url)
    expect(page.locator("h1")).to_contain_text("Printer on fire")
    expect(page.locator("[data-testid=company]")).to_have_text(f"Company {company.slug}")
    page.fill("textarea[name=body]", "Still smoking, see the photo.")
    page.set_input_files("input[name=files]", str(photo))
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator("[data-testid=notice]")).to_contain_text("Your message was sent.")
    expect(page.locator(".message").last).to_contain_text("Still smoking, see the photo.")
    expect(page.locator(".message .attachments a")).to_have_text("smoke.png")

    page.locator("[data-testid=solve]").click()
    expect(page.locator("[data-testid=status]")).to_have_text("Solved")
    page.get_by_label("4 — Good").check()
    page.fill("textarea[name=comment]", "Quick and kind, thanks!")
    page.get_by_role("button", name="Send the rating").click()
    expect(page.locator("[data-testid=notice]")).to_contain_text("Thank you for your rating!")
    expect(page.locator("[data-testid=rated]")).to_contain_text("4 out of 5")
    screenshot(page, "portal-rated")
    assert company.run(lambda: _state(number)) == ("resolved", 4, "Quick and kind, thanks!")

    page.locator("[data-testid=solve]").click()  # "Yes, it's solved": confirmed and closed
    expect(page.locator("[data-testid=status]")).to_have_text("Closed")
    assert company.run(lambda: _state(number))[0] == "closed"


def test_hostile_text_stays_inert(page, company):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    number, url = company.run(lambda: _ticket(XSS[0] + XSS[1], "\n".join(XSS)))

    def agent_replies():
        from app.staff.models import Staff
        from app.tickets import service
        from app.tickets.models import Ticket

        admin = db.session.scalar(select(Staff).where(Staff.role == "admin"))
        ticket = db.session.scalar(select(Ticket).where(Ticket.number == number))
        service.reply(actor=admin, ticket=ticket, body="<p>Hi</p>" + "".join(XSS),
                      body_format="html")

    company.run(agent_replies)
    page.goto(url)
    expect(page.locator("h1")).to_contain_text(XSS[0])  # shown as typed, not run
    page.fill("textarea[name=body]", XSS[2] + XSS[3])
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator(".message").last).to_contain_text(XSS[2] + XSS[3])
    page.goto(url.removesuffix("/") + "/requests")
    expect(page.locator("[data-testid=requests]")).to_contain_text(XSS[0])
    page.goto(url)
    content = page.locator("main")
    assert content.locator("script, iframe, svg, style").count() == 0
    assert content.locator("[onerror], [onload]").count() == 0
    assert content.locator("a[href^='javascript:']").count() == 0
    expect(page.locator("body")).to_be_visible()  # no injected style hid the page
    assert dialogs == []


@pytest.mark.parametrize("width", [390, 717])
def test_portal_pages_fit_a_phone(page, company, width):
    long_word = "Supercalifragilisticexpialidocious" * 3
    number, url = company.run(lambda: _ticket(f"Cannot open {long_word}",
                                              f"https://example.com/{'x' * 200} {long_word}"))
    company.run(lambda: _ticket("Another one", "Second request"))
    page.set_viewport_size({"width": width, "height": 844})
    slug = url.split("/")[2]
    for address in (url, f"{url}/requests", f"/p/{slug}/link", f"/p/{slug}/t/broken-token"):
        page.goto(address)
        assert_fits(page, address)
        screenshot(page, f"portal-{width}-{address.rsplit('/', 1)[1][:12]}")
    assert number
