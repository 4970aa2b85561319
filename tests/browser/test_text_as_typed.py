"""Text as typed, in a real browser: what an agent types into the new-ticket form and into
the reply box's editor is shown exactly as typed — nothing lost, nothing escaped twice."""
import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.real_commits]

TYPED = "a<b and c>d. Use <tab> key."


def test_typed_text_comes_back_as_typed(page, company):
    company.login(page)
    page.goto("/app/tickets/new")
    page.fill("input[name=requester_email]", "bob@client.example")
    page.fill("input[name=subject]", "Keyboard")
    page.fill("textarea[name=body]", TYPED)
    page.get_by_role("button", name="Create ticket").click()
    page.wait_for_url("**/app/tickets/*")
    first = page.locator(".message .body").first
    expect(first).to_have_text(TYPED)
    expect(first.locator("b")).to_have_count(0)

    page.wait_for_load_state("load")  # the composer's script is ready
    page.locator("#composer .editor").click()
    page.keyboard.type("Price < 100 & no tax")
    page.locator("#composer [data-send]").click()
    expect(page.locator(".flash-success")).to_contain_text("Reply sent")
    expect(page.locator(".message[data-kind=public] .body").last).to_have_text(
        "Price < 100 & no tax")

    # Held by a colleague's answer, the reply comes back into the editor as typed.
    page.wait_for_load_state("load")
    editor = page.locator("#composer .editor")
    editor.click()
    page.keyboard.type("Delivery <in 3 days> to a<b")
    company.run(colleague_answers)
    page.locator("#composer [data-send]").click()
    expect(page.locator("#collision")).to_be_visible()
    expect(editor).to_have_text("Delivery <in 3 days> to a<b")
    page.get_by_role("button", name="Send anyway").click()
    expect(page.locator(".flash-success")).to_contain_text("Reply sent")
    expect(page.locator(".message[data-kind=public] .body").last).to_have_text(
        "Delivery <in 3 days> to a<b")


def colleague_answers():
    """Another member of staff replies through the API's service, as another tab would."""
    from sqlalchemy import select

    from app.extensions import db
    from app.staff.models import Staff
    from app.staff.service import create_staff
    from app.tickets import service
    from app.tickets.models import Ticket
    from tests.conftest import STRONG_PASSWORD

    admin = db.session.scalar(select(Staff).where(Staff.role == "admin"))
    colleague = create_staff(actor=admin, name="Colleague", email="colleague@staff.example",
                             password=STRONG_PASSWORD, role="admin")
    ticket = db.session.scalar(select(Ticket).order_by(Ticket.id.desc()))
    service.reply(actor=colleague, ticket=ticket, body="Answered already.")
