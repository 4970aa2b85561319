"""An agent's day on the ticket desk, in a real browser: the inbox, a reply from a template,
a private note, a transfer, and the collision warning when a colleague answered first."""
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from tests.browser.conftest import screenshot
from tests.conftest import STRONG_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.real_commits]


@pytest.fixture
def desk(company):
    """Support (from signup) and Billing departments, an agent with reply rights in both,
    a greeting template, and a customer's ticket waiting in Support."""
    from app.departments.models import Department
    from app.departments.service import create_department
    from app.responses.service import create_template
    from app.staff.service import create_staff
    from app.tickets import service

    def setup():
        support = db.session.scalar(select(Department).where(Department.name == "Support"))
        billing = create_department(actor=None, name="Billing")
        agent = create_staff(actor=None, name="Alice Agent", email=f"alice@{company.slug}.example",
                             password=STRONG_PASSWORD, role="agent",
                             access={support.id: "reply", billing.id: "reply"})
        create_template(actor=None, name="Greeting",
                        body="<p>Hello {{customer.name}}, thank you for request "
                             "#{{ticket.number}}. We are on it.</p>", set_status="pending")
        create_template(actor=None, name="Refund policy", body="<p>Refunds take 5 days.</p>")
        older = service.create_ticket(actor=None, channel="widget", subject="Login trouble",
                                      body="Cannot log in.", requester_email="bob@client.example",
                                      requester_name="Bob Buyer", department_id=support.id)
        ticket = service.create_ticket(actor=None, channel="widget", subject="Invoice is wrong",
                                       body="The invoice for May lists two seats; we have one.",
                                       requester_email="bob@client.example",
                                       requester_name="Bob Buyer", department_id=support.id)
        return {"support": support.id, "billing": billing.id, "number": ticket.number,
                "older": older.number, "agent_email": agent.email}

    company.desk = company.run(setup)
    return company


def colleague_replies(company, number: int, text: str) -> None:
    """The admin answers through the ticket service, as another browser tab would."""
    from app.staff.models import Staff
    from app.tickets import service

    def reply():
        admin = db.session.get(Staff, company.admin_id)
        ticket = service.get_ticket(admin, number)
        service.reply(actor=admin, ticket=ticket, body=f"<p>{text}</p>")

    company.run(reply)


def test_agent_answers_notes_transfers_and_is_warned_of_a_collision(page, desk):
    number = desk.desk["number"]
    desk.login(page, email=desk.desk["agent_email"])

    # The inbox, from the navigation; j and Enter open the newest ticket.
    page.get_by_role("link", name="Tickets", exact=True).click()
    rows = page.locator("[data-ticket-row]")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Invoice is wrong")
    screenshot(page, "inbox")
    page.keyboard.press("j")
    expect(rows.first).to_have_class(re.compile(r"\bselected\b"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/app/tickets/{number}")
    expect(page.locator("h1")).to_contain_text("Invoice is wrong")
    expect(page.get_by_test_id("other-tickets")).to_contain_text("Login trouble")

    # Reply with a template: search the picker, pick, the text lands in the editor.
    page.locator("[data-template-search]").fill("greet")
    page.locator("#picker-results button", has_text="Greeting").click()
    editor = page.locator("#composer .editor")
    expect(editor).to_contain_text(f"Hello Bob Buyer, thank you for request #{number}.")
    expect(page.get_by_test_id("template-used")).to_contain_text("Greeting")
    page.locator("#composer [data-send]").click()
    expect(page.locator(".flash-success")).to_contain_text("Reply sent")
    reply = page.locator(".message[data-kind=public]").last
    expect(reply).to_contain_text(f"Hello Bob Buyer, thank you for request #{number}.")
    expect(reply).to_contain_text("Alice Agent")
    # The template also set the status.
    expect(page.locator("#header-status")).to_contain_text("Pending customer")

    # A private note: the n shortcut switches the composer; the note looks different.
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("n")
    expect(page.locator("#composer")).to_have_class(re.compile(r"\bis-note\b"))
    page.keyboard.type("Checked the billing system: one seat only.")
    page.locator("#composer [data-send]").click()
    expect(page.locator(".flash-success")).to_contain_text("Note added")
    note = page.locator(".message[data-kind=note]").last
    expect(note).to_contain_text("Checked the billing system: one seat only.")
    expect(note.locator(".note-label")).to_be_visible()
    assert "note" in (note.get_attribute("class") or "")
    screenshot(page, "ticket")

    # Transfer to Billing with a comment for the colleagues there.
    page.locator("summary", has_text="Transfer").click()
    transfer = page.locator("#transfer-form")
    transfer.locator("select[name=department_id]").select_option(label="Billing")
    transfer.locator("textarea[name=comment]").fill("Invoice question, please check the seats.")
    transfer.get_by_role("button", name="Transfer").click()
    expect(page.locator(".flash-success")).to_contain_text("Ticket transferred")
    expect(page.get_by_test_id("department")).to_have_text("Billing")
    expect(page.get_by_test_id("history")).to_contain_text("ticket.transferred")
    expect(page.locator(".conversation")).to_contain_text("Invoice question, please check")

    # Collision: the agent writes, a colleague answers first, the reply is held.
    page.locator("#composer [data-mode=reply]").click()
    editor.click()
    page.keyboard.type("The corrected invoice is attached to this message.")
    colleague_replies(desk, number, "Ada here: we already fixed the invoice.")
    page.locator("#composer [data-send]").click()
    collision = page.locator("#collision")
    expect(collision).to_be_visible()
    expect(collision).to_contain_text("Ada here: we already fixed the invoice.")
    expect(editor).to_contain_text("The corrected invoice is attached to this message.")
    screenshot(page, "collision")
    assert page.locator(".message[data-kind=public]", has_text="The corrected invoice").count() \
        == 0  # held, not sent

    page.get_by_role("button", name="Send anyway").click()
    expect(page.locator(".flash-success")).to_contain_text("Reply sent")
    expect(page.locator("#collision")).to_have_count(0)
    public = page.locator(".message[data-kind=public]")
    expect(public.last).to_contain_text("The corrected invoice is attached to this message.")
    expect(public.nth(-2)).to_contain_text("Ada here: we already fixed the invoice.")


def test_inbox_search_filters_and_live_status(page, desk):
    number = desk.desk["number"]
    desk.login(page)
    page.goto("/app/tickets/?view=all")
    expect(page.locator("[data-ticket-row]")).to_have_count(2)

    # "/" focuses the search box; full-text search finds words of the conversation.
    page.keyboard.press("/")
    page.keyboard.type("seats")
    page.keyboard.press("Enter")
    rows = page.locator("[data-ticket-row]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Invoice is wrong")

    page.goto("/app/tickets/?view=all&priority=urgent")
    expect(page.locator(".ticket-list .empty")).to_be_visible()

    # Status and priority change live on the ticket page, without a reload.
    page.goto(f"/app/tickets/{number}")
    page.evaluate("window.__same_page = true")
    page.locator("#quick-priority select").select_option("urgent")
    expect(page.locator("#quick-priority [data-testid=saved]")).to_be_visible()
    expect(page.locator("#header-priority")).to_contain_text("Urgent")
    page.locator("#quick-status select").select_option("on_hold")
    expect(page.locator("#header-status")).to_contain_text("On hold")
    assert page.evaluate("window.__same_page") is True  # no navigation happened

    page.goto("/app/tickets/?view=all&priority=urgent")
    expect(page.locator("[data-ticket-row]")).to_have_count(1)
    page.goto("/app/tickets/?view=pending")
    expect(page.locator("[data-ticket-row]")).to_have_count(1)


def test_staff_enters_a_ticket_and_trashes_and_restores_it(page, desk):
    desk.login(page)
    page.goto("/app/tickets/")
    page.keyboard.press("c")
    page.wait_for_url("**/app/tickets/new")
    page.get_by_role("button", name="Create ticket").click()
    expect(page.locator(".field.has-error").first).to_be_visible()  # nothing lost: errors shown

    page.fill("input[name=requester_email]", "carol@client.example")
    page.fill("input[name=requester_name]", "Carol Caller")
    page.fill("input[name=subject]", "Phoned about the contract")
    page.fill("textarea[name=body]", "Wants a call back on Monday.")
    page.select_option("select[name=priority]", "high")
    page.get_by_role("button", name="Create ticket").click()
    expect(page.locator(".flash-success")).to_contain_text("created")
    expect(page.locator("h1")).to_contain_text("Phoned about the contract")
    expect(page.locator("#header-priority")).to_contain_text("High")

    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Move to the trash").click()
    expect(page.locator(".notice-strip")).to_contain_text("in the trash")
    page.goto("/app/tickets/?view=trash")
    expect(page.locator("[data-ticket-row]")).to_have_count(1)
    page.locator("[data-ticket-row] a.subject").click()
    page.get_by_role("button", name="Restore from the trash").click()
    expect(page.locator(".flash-success")).to_contain_text("Restored")
    page.goto("/app/tickets/?view=trash")
    expect(page.locator("[data-ticket-row]")).to_have_count(0)
