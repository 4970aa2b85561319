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
    from app.staff.models import Staff
    from app.staff.service import create_staff
    from app.tickets import service

    def setup():
        support = db.session.scalar(select(Department).where(Department.name == "Support"))
        admin = db.session.get(Staff, company.admin_id)
        billing = create_department(actor=admin, name="Billing")
        agent = create_staff(actor=admin, name="Alice Agent", email=f"alice@{company.slug}.example",
                             password=STRONG_PASSWORD, role="agent",
                             access={support.id: "reply", billing.id: "reply"})
        create_template(actor=admin, name="Greeting",
                        body="<p>Hello {{customer.name}}, thank you for request "
                             "#{{ticket.number}}. We are on it.</p>", set_status="pending")
        create_template(actor=admin, name="Refund policy", body="<p>Refunds take 5 days.</p>")
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
        service.reply(actor=admin, ticket=ticket, body=f"<p>{text}</p>", body_format="html")

    company.run(reply)


def test_agent_answers_notes_transfers_and_is_warned_of_a_collision(page, desk):
    number = desk.desk["number"]
    desk.login(page, email=desk.desk["agent_email"])

    # The inbox, from the navigation; j and Enter open the newest ticket.
    page.get_by_role("link", name="Tickets", exact=True).click()
    page.wait_for_url("**/app/tickets/")  # until "load": the shortcut script is listening
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
    page.locator("[data-template-search]").first.fill("greet")
    expect(page.locator("#picker-results button")).to_have_count(1)
    expect(page.locator("#picker-results button")).to_contain_text("Greeting")
    page.keyboard.press("Enter")  # picks the first match; never sends the empty reply
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
    page.wait_for_load_state("load")  # the page came back from sending: shortcuts ready
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
    expect(page.get_by_test_id("history")).to_contain_text("transferred ticket #")
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
    screenshot(page, "new-ticket-errors")

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


def test_near_breach_view_escalation_attachment_and_merge(page, desk):
    from app.sla.settings import save_calendar, save_policies
    from app.staff.models import Staff
    from app.tickets import service

    def urgent_ticket():
        admin = db.session.get(Staff, desk.admin_id)  # SLA settings are changed by staff
        # Open around the clock, so the due time doesn't depend on when the test runs.
        save_calendar(actor=admin, timezone="UTC",
                      hours={str(day): [["00:00", "24:00"]] for day in range(7)})
        save_policies(actor=admin, targets=[{"priority": "urgent", "first_response_minutes": 30,
                                             "resolution_minutes": 240}])
        ticket = service.create_ticket(
            actor=None, channel="email", subject="Site is down", body="Nothing loads.",
            requester_email="ops@client.example", requester_name="Olga Ops",
            department_id=desk.desk["support"], priority="urgent")
        return ticket.number

    urgent = desk.run(urgent_ticket)
    desk.login(page)
    page.goto("/app/tickets/")
    page.locator(".views a[data-view=breach]").click()
    rows = page.locator("[data-ticket-row]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Site is down")
    expect(rows.first.locator(".badge.due-soon")).to_be_visible()
    screenshot(page, "near-breach")

    # Escalate to the second line with a reason.
    rows.first.locator("a.subject").click()
    page.locator("summary", has_text="Escalate to line 2").click()
    page.locator("details[open] textarea[name=comment]").fill("Needs the hosting team.")
    page.get_by_role("button", name="Escalate", exact=True).click()
    expect(page.locator(".flash-success")).to_contain_text("Escalated to line 2")
    expect(page.get_by_test_id("line")).to_contain_text("Line 2")
    expect(page.get_by_test_id("history")).to_contain_text("to support line")

    # A reply with an attachment; the file is offered for download on the message.
    page.locator("#composer .editor").click()
    page.keyboard.type("The log of the outage is attached.")
    page.locator("#composer input[type=file]").set_input_files(
        files=[{"name": "outage.log", "mimeType": "text/plain",
                "buffer": b"12:00 load balancer down\n12:05 restarted\n"}])
    page.locator("#composer [data-send]").click()
    expect(page.locator(".flash-success")).to_contain_text("Reply sent")
    link = page.locator(".message[data-kind=public]").last.locator(".attachments a")
    expect(link).to_contain_text("outage.log")
    download = page.request.get(link.get_attribute("href"))
    assert download.status == 200 and b"load balancer down" in download.body()

    # Merge an older ticket of the same customer into the other one.
    older, survivor = desk.desk["older"], desk.desk["number"]
    page.goto(f"/app/tickets/{older}")
    page.on("dialog", lambda dialog: dialog.accept())
    page.locator("summary", has_text="Merge into another ticket").click()
    page.locator("input[name=into]").fill(str(survivor))
    page.get_by_role("button", name="Merge", exact=True).click()
    page.wait_for_url(f"**/app/tickets/{survivor}")
    expect(page.locator(".flash-success")).to_contain_text(f"#{older} merged into #{survivor}")
    expect(page.locator(".conversation")).to_contain_text("Cannot log in.")
    page.goto(f"/app/tickets/{older}")
    expect(page.locator(".notice-strip")).to_contain_text("Merged into")
    expect(page.locator("#composer")).to_have_count(0)  # work continues on the survivor
    assert urgent != survivor


def test_an_oversized_file_is_refused_and_the_message_kept(page, desk):
    from app.tickets.settings import update_settings

    desk.run(lambda: update_settings(actor=None, section="attachments",
                                     values={"max_file_bytes": 1024 * 1024}))
    number = desk.desk["number"]
    desk.login(page)
    page.goto(f"/app/tickets/{number}")
    page.locator("#composer .editor").click()
    page.keyboard.type("Here is the full dump.")
    page.locator("#composer input[type=file]").set_input_files(
        files=[{"name": "dump.bin", "mimeType": "application/zip",
                "buffer": b"PK\x03\x04" + b"\0" * (2 * 1024 * 1024)}])
    error = page.locator("[data-file-error]")
    expect(error).to_be_visible()
    expect(error).to_contain_text("dump.bin")
    expect(error).to_contain_text("1 MB")
    page.locator("#composer [data-send]").click()
    expect(page.locator(".flash-success")).to_have_count(0)
    expect(page.locator("#composer .editor")).to_contain_text("Here is the full dump.")
    assert page.url.endswith(f"/app/tickets/{number}")

    # Without the file the same message goes out.
    page.locator("#composer input[type=file]").set_input_files(files=[])
    expect(error).to_be_hidden()
    page.locator("#composer [data-send]").click()
    expect(page.locator(".flash-success")).to_contain_text("Reply sent")
    expect(page.locator(".message[data-kind=public]").last).to_contain_text(
        "Here is the full dump.")
