"""Cross-tenant factories for Gmail: a failed ingestion-log entry and a reply Gmail did not
take, written straight into tenant A's tables (a connected mailbox needs Google)."""
from sqlalchemy import select

from app.extensions import db
from app.mailbox.models import LogEntry, Mailbox, OutgoingReply
from app.tickets.models import Message, Ticket
from tenants import context
from tests.crosstenant import factory
from tests.crosstenant.rules import as_tenant_of
from tests.crosstenant.tickets import ticket_number


def _mailbox() -> Mailbox:
    box = db.session.scalar(select(Mailbox))
    if box is None:
        box = Mailbox(email="private@a-shop.example", status="connected", query="",
                      progress_done=0, progress_total=0, failures=0, last_error="")
        db.session.add(box)
        db.session.flush()
    return box


def _in_a(api, make) -> int:
    context.clear()
    try:
        with as_tenant_of(api.client.application, api):
            made = make()
            db.session.commit()
            return made
    finally:
        context.clear()


@factory("entry_id")
def log_entry_id(api) -> int:
    def make() -> int:
        entry = LogEntry(mailbox_id=_mailbox().id, gmail_id="private-message",
                         status="failed", reason="secret error", subject="Private")
        db.session.add(entry)
        db.session.flush()
        return entry.id

    return _in_a(api, make)


@factory("reply_id")
def gmail_reply_id(api) -> int:
    number = ticket_number(api)
    api.post(f"/tickets/{number}/messages", {"body": "A private answer"})

    def make() -> int:
        ticket = db.session.scalar(select(Ticket).where(Ticket.number == number))
        message = db.session.scalar(select(Message).where(
            Message.ticket_id == ticket.id, Message.author_kind == "staff"))
        reply = OutgoingReply(ticket_id=ticket.id, message_id=message.id, status="failed",
                              rfc_message_id="<private@a.example>", error="secret")
        db.session.add(reply)
        db.session.flush()
        return reply.id

    return _in_a(api, make)
