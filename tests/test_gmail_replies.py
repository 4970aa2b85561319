"""Agents' public replies go out through Gmail's messages.send, in the ticket's Gmail thread
with the right headers, from a job after the commit; a reply Google keeps refusing is
marked on the ticket with a "send again" button; our sent copy is never imported."""
from email import message_from_bytes, policy

import pytest
from rq import Queue
from sqlalchemy import select

from app.extensions import db
from app.mailbox import replies
from app.mailbox.models import OutgoingReply
from integrations.mail.sender import build_message
from integrations.mail.transports import replies_sent_elsewhere, tenant_transport
from tests.gmail_support import (
    connect,
    fake_google,
    letter,
    log_of,
    mailbox_of,
    run_jobs,
    sync_now,
    tenant_of,
    with_gmail_addon,
)

BOX = "support@shop.example"

@pytest.fixture
def google(app, monkeypatch):
    yield from fake_google(app, monkeypatch)



def _ticket_from_mail(app, client, api, google) -> str:
    with_gmail_addon(api)
    gmail_id = google.deliver(BOX, letter(subject="Refund please",
                                          message_id="<ask@client.example>"))
    connect(app, client, api, google)
    return google.thread_of(BOX, gmail_id)


def test_a_public_reply_goes_out_in_the_thread_with_the_right_headers(app, client,
                                                                      tenant_a, google):
    thread = _ticket_from_mail(app, client, tenant_a, google)
    assert tenant_a.post("/tickets/1/messages", {"body": "Note", "internal": True}
                         ).status_code == 201
    assert tenant_a.post("/tickets/1/messages", {"body": "Refunded today."}).status_code == 201
    assert Queue("mail", connection=app.extensions["redis"]).count == 1  # the note sends nothing
    run_jobs(app, "mail")
    (sent,) = google.accounts[BOX].sent
    assert sent["threadId"] == thread
    message = message_from_bytes(sent["raw"], policy=policy.default)
    assert message["To"] == "jane@client.example" and BOX in message["From"]
    assert message["Subject"] == "Re: Refund please [#1]"
    assert message["In-Reply-To"] == "<ask@client.example>"
    assert "<ask@client.example>" in message["References"]
    assert message["References"].startswith("<ticket-1.tenant-")
    assert message.get_body(("plain",)).get_content().strip() == "Refunded today."
    # The sent copy comes back through history: skipped as our own letter, no new ticket.
    sync_now(app, tenant_a)
    assert [e.reason for e in log_of(app, tenant_a)][-1] == "own_letter"
    # The customer answers our reply: it threads by the Gmail thread.
    google.deliver(BOX, letter(subject="Re: Refund please [#1]", body="Thanks!",
                               headers={"In-Reply-To": message["Message-ID"]}),
                   thread_id=thread)
    sync_now(app, tenant_a)
    assert log_of(app, tenant_a)[-1].ticket_number == 1
    assert len(tenant_a.get("/tickets").get_json()["items"]) == 1


def test_replies_of_a_connected_tenant_are_ours_and_letters_may_use_gmail(app, client,
                                                                          tenant_a, google):
    _ticket_from_mail(app, client, tenant_a, google)
    with tenant_of(app, tenant_a) as staff:
        assert replies_sent_elsewhere(staff.tenant_id, 1)
        send = tenant_transport(staff.tenant_id)
        where = send(build_message(to=["jane@client.example"], subject="Receipt [#1]",
                                   text="We got it", headers={
                                       "References": f"<ticket-1.tenant-{staff.tenant_id}@x>"}))
    assert where.startswith(f"gmail:{BOX}:")
    (sent,) = google.accounts[BOX].sent
    assert sent["threadId"] == google.accounts[BOX].messages[
        google.accounts[BOX].order[0]].thread_id  # into the ticket's thread


def test_a_reply_google_keeps_refusing_is_marked_and_can_be_sent_again(
        app, client, signup, google, monkeypatch):
    api, body = signup()
    _ticket_from_mail(app, client, api, google)
    monkeypatch.setattr(replies, "RETRY_PAUSES", [0, 0, 0])
    google.fail_next(503, 10)
    assert api.post("/tickets/1/messages", {"body": "Answer"}).status_code == 201
    run_jobs(app, "mail")
    assert google.accounts[BOX].sent == []
    slug = body["tenant"]["slug"]
    client.post(f"/t/{slug}/login", data={"email": f"admin@{slug}.example",
                                          "password": "Correct-horse-42"})
    page = client.get("/app/tickets/1").get_data(as_text=True)
    assert 'data-testid="gmail-reply-failed"' in page and "503" in page
    with tenant_of(app, api):
        reply = db.session.scalar(select(OutgoingReply))
        assert (reply.status, reply.attempts) == ("failed", 4)
        reply_id = reply.id
    google.failures.clear()
    resent = client.post(f"/app/tickets/1/gmail-replies/{reply_id}/resend")
    assert resent.status_code == 302
    run_jobs(app, "mail")
    assert len(google.accounts[BOX].sent) == 1
    assert 'data-testid="gmail-reply-failed"' not in client.get("/app/tickets/1").get_data(
        as_text=True)
    assert mailbox_of(app, api)["status"] == "connected"


def test_no_gmail_no_reply_job(app, tenant_a):
    tenant_a.post("/tickets", {"subject": "S", "body": "B",
                               "requester": {"email": "c@client.example"}})
    assert tenant_a.post("/tickets/1/messages", {"body": "Answer"}).status_code == 201
    queued = Queue("mail", connection=app.extensions["redis"]).jobs
    assert not any("send_reply_job" in job.func_name for job in queued)
