"""Ticket letters end to end: queued on ``notifications`` after the commit, composed by a
job, received by a real SMTP server — receipt, reply, resolution, staff letters — with the
headers that thread answers, and a failed send retried without holding the ticket back."""
import re

from rq.job import Job

from integrations.mail import transports
from tests.letters_support import (
    deliver,
    html_of,
    letters_queue,
    queued,
    run_queue,
    smtp_server,
    text_of,
    to_of,
)
from tests.test_tickets_support import add_staff, department, make_pro, new_ticket

CUSTOMER = "cus@client.example"


def test_a_receipt_leaves_after_the_commit_as_a_threaded_multipart_letter(app, tenant_a):
    ticket = new_ticket(tenant_a)
    assert [kind for kind, _id, _d in queued(app)] == ["receipt"]
    [letter] = deliver(app)
    assert to_of(letter) == CUSTOMER
    assert letter["Subject"] == "[#1] Request received: Printer on fire"
    assert re.fullmatch(r"<ticket-1\.tenant-\d+\.receipt\.[0-9a-f]{12}@localhost>",
                        letter["Message-ID"])
    assert re.fullmatch(r"<ticket-1\.tenant-\d+@localhost>", letter["References"])
    assert letter["In-Reply-To"] == letter["References"]
    assert letter["Auto-Submitted"] == "auto-generated"
    assert letter.is_multipart() and letter.get_content_type() == "multipart/alternative"
    text, html = text_of(letter), html_of(letter)
    link = re.search(r"https?://\S+/p/[^/\s]+/t/[\w.\-]+", text).group(0)
    assert f'href="{link}"' in html
    assert "Cus Tomer" in text and "#1" in text and "<" not in text
    assert "Company " in letter["From"]
    sent = tenant_a.get("/events?action=mail.sent").get_json()["items"]
    assert sent[0]["data"]["kind"] == "receipt" and sent[0]["data"]["to"] == [CUSTOMER]
    assert ticket["number"] == 1


def test_an_agents_public_reply_is_sent_with_the_reply_itself_and_a_note_is_not(app,
                                                                                tenant_a):
    new_ticket(tenant_a)
    deliver(app)
    assert tenant_a.post("/tickets/1/messages", {"body": "Only for us", "internal": True}
                         ).status_code == 201
    assert queued(app) == []
    response = tenant_a.post("/tickets/1/messages",
                             {"body": "Unplug it <now>.\n\nThen call us.", "internal": False})
    assert response.status_code == 201, response.get_json()
    [letter] = deliver(app)
    assert letter["Subject"] == "[#1] Re: Printer on fire"
    assert "Auto-Submitted" not in letter  # a person's answer
    text, html = text_of(letter), html_of(letter)
    assert "Unplug it <now>." in text and "Then call us." in text
    assert "Unplug it &lt;now&gt;." in html and "Only for us" not in html
    assert "/p/" in text and "Ada Admin" in text


def test_a_resolution_by_staff_brings_the_status_and_rating_links(app, tenant_a):
    new_ticket(tenant_a)
    deliver(app)
    assert tenant_a.patch("/tickets/1", {"status": "resolved"}).status_code == 200
    [letter] = deliver(app)
    assert letter["Subject"] == "[#1] Resolved: Printer on fire"
    text = text_of(letter)
    assert re.search(r"/p/[^/\s]+/t/[\w.\-]+#rating", text)
    assert tenant_a.patch("/tickets/1", {"status": "open"}).status_code == 200
    assert queued(app) == []  # reopening writes no letter


def test_staff_hear_of_new_tickets_in_their_departments_and_of_assignments(app, client,
                                                                           tenant_a):
    make_pro(app, tenant_a)  # room for two agents
    sales = department(tenant_a, "Sales")
    support = department(tenant_a, "Billing")
    seller, seller_json = add_staff(tenant_a, client, name="Sam Seller",
                                    email="sam@staff.example", access={sales: "reply"})
    add_staff(tenant_a, client, name="Sue Support", email="sue@staff.example",
              access={support: "reply"})
    new_ticket(tenant_a, department_id=sales)
    letters = deliver(app)
    assert sorted(to_of(letter) for letter in letters) == [CUSTOMER, "sam@staff.example"]
    [staff_letter] = [letter for letter in letters if to_of(letter) == "sam@staff.example"]
    assert staff_letter["Subject"] == "[#1] New ticket: Printer on fire"
    assert "/app/tickets/1" in text_of(staff_letter) and "Sam Seller" in text_of(staff_letter)
    assert tenant_a.patch("/tickets/1", {"assignee_id": seller_json["id"]}).status_code == 200
    [assigned] = deliver(app)
    assert to_of(assigned) == "sam@staff.example"
    assert assigned["Subject"] == "[#1] Assigned to you: Printer on fire"
    # Taking a ticket oneself writes to nobody.
    assert tenant_a.patch("/tickets/1", {"assignee_id": None}).status_code == 200
    assert seller.patch("/tickets/1", {"assignee_id": seller_json["id"]}).status_code == 200
    assert queued(app) == []


def test_a_failed_send_is_retried_later_and_never_holds_the_ticket(app, tenant_a):
    app.config["SMTP_URL"] = "smtp://127.0.0.1:9"  # nothing listens there
    try:
        new_ticket(tenant_a)
        run_queue(app)
    finally:
        app.config["SMTP_URL"] = ""
    assert tenant_a.get("/tickets/1").get_json()["status"] == "new"
    registry = letters_queue(app).scheduled_job_registry
    [job_id] = registry.get_job_ids()
    job = Job.fetch(job_id, connection=app.extensions["redis"])
    assert job.retries_left == 5 and job.args[1] == "receipt"
    assert tenant_a.get("/events?action=mail.sent").get_json()["items"] == []
    with smtp_server(app) as smtp:
        registry.requeue(job)  # its time has come
        run_queue(app)
    assert [to_of(item["message"]) for item in smtp.messages] == [CUSTOMER]


def test_a_tenants_own_transport_carries_its_letters_and_may_own_the_replies(app, tenant_a,
                                                                             monkeypatch):
    carried = []

    def mailbox(tenant_id):
        return lambda message: carried.append(message) or "mailbox"

    monkeypatch.setattr(transports, "_finders", [mailbox])
    monkeypatch.setattr(transports, "_reply_owners", [lambda tenant_id, ticket_id: True])
    new_ticket(tenant_a)
    assert deliver(app) == []  # nothing through SMTP
    assert [m["Subject"] for m in carried] == ["[#1] Request received: Printer on fire"]
    tenant_a.post("/tickets/1/messages", {"body": "Answer", "internal": False})
    run_queue(app)
    assert len(carried) == 1  # the mailbox's owner sent the reply itself
