"""Agents' public replies out through the tenant's Gmail, in the ticket's Gmail thread.

A public reply (the desk's ``ticket_replied``) of a tenant with a connected mailbox is kept
as a pending ``OutgoingReply`` and sent by a job after the commit: ``messages.send`` with
the thread's id, ``In-Reply-To`` the customer's latest letter, ``References`` the thread's
letters, and ``[#N]`` in the subject. Google busy: RQ tries again later; the last failure
marks the reply failed, shown on the ticket with its reason and a "send again" button.
"""
import logging
import re
import secrets
from email.message import EmailMessage
from email.utils import formataddr

from flask_babel import gettext as _
from rq import Retry, get_current_job
from sqlalchemy import select

from app.customers.models import Customer
from app.db_types import utcnow
from app.errors import Conflict, NotFound
from app.events.service import record_event
from app.extensions import db
from app.jobs import enqueue, tenant_job
from app.mailbox import access, reconnect
from app.mailbox.mailboxes import connected_mailbox
from app.mailbox.models import LogEntry, OutgoingReply
from app.mailbox.status import mailbox_status
from app.tickets.access import require
from app.tickets.models import Message, Ticket
from app.unit_of_work import commit
from integrations.gmail import vault
from integrations.gmail.client import GmailError, Retryable
from integrations.gmail.oauth import DeadToken
from integrations.gmail.rules import OWN_HEADER
from integrations.mail.sender import mail_domain
from tenants.resolve import current_tenant

log = logging.getLogger(__name__)
MAX_REFERENCES = 20
RETRIES, RETRY_PAUSES = 3, [10, 60, 300]  # seconds before each further try


def thread_root(ticket: Ticket) -> str:
    """The Message-ID every letter about the ticket refers to (the letters area's too)."""
    return f"<ticket-{ticket.number}.tenant-{ticket.tenant_id}@{mail_domain()}>"


def new_message_id(ticket: Ticket) -> str:
    return (f"<ticket-{ticket.number}.tenant-{ticket.tenant_id}.reply."
            f"{secrets.token_hex(8)}@{mail_domain()}>")


def on_replied(_app, *, ticket: Ticket, message: Message, actor) -> None:
    """Receiver of ``ticket_replied``: queue the reply for Gmail when a mailbox is connected
    (nothing for a ticket a stop list held back)."""
    known = mailbox_status()  # cached: no query for a company without Gmail
    if ticket.spam or known is None or known[0] != "connected" or connected_mailbox() is None:
        return
    reply = OutgoingReply(ticket_id=ticket.id, message_id=message.id,
                          rfc_message_id=new_message_id(ticket), status="pending", attempts=0,
                          error="")
    db.session.add(reply)
    db.session.flush()
    queue_reply(ticket.tenant_id, reply.id)


def owns_replies(tenant_id: int, ticket_id: int) -> bool:
    """For the letters area: replies of this tenant's tickets go out through Gmail."""
    known = mailbox_status()
    return known is not None and known[0] == "connected" and connected_mailbox() is not None


def _thread(ticket_id: int) -> tuple[str, list[str], list[str]]:
    """(the Gmail thread id, the Message-IDs of the customer's letters and of our sent
    replies, oldest first)."""
    inbound = db.session.execute(
        select(LogEntry.id, LogEntry.thread_id, LogEntry.message_id).where(
            LogEntry.ticket_id == ticket_id).order_by(LogEntry.id)).all()
    outbound = db.session.execute(
        select(OutgoingReply.id, OutgoingReply.gmail_thread_id, OutgoingReply.rfc_message_id)
        .where(OutgoingReply.ticket_id == ticket_id, OutgoingReply.status == "sent")
        .order_by(OutgoingReply.id)).all()
    thread = next((t for _i, t, _m in reversed(inbound) if t), "") or \
        next((t for _i, t, _m in reversed(outbound) if t), "")
    return thread, [m for _i, _t, m in inbound if m], [m for _i, _t, m in outbound if m]


def compose(reply: OutgoingReply, ticket: Ticket, message: Message, customer: Customer,
            mailbox_email: str, inbound: list[str], outbound: list[str]) -> EmailMessage:
    letter = EmailMessage()
    letter["From"] = formataddr((current_tenant().name, mailbox_email))
    letter["To"] = customer.email
    subject = ticket.subject
    if f"[#{ticket.number}]" not in subject:
        subject = f"{subject} [#{ticket.number}]"
    letter["Subject"] = subject if re.match(r"(?i)re:", subject) else f"Re: {subject}"
    letter["Message-ID"] = reply.rfc_message_id
    references = [thread_root(ticket)] + inbound + outbound
    if len(references) > MAX_REFERENCES:
        references = references[:1] + references[-(MAX_REFERENCES - 1):]
    letter["In-Reply-To"] = inbound[-1] if inbound else references[-1]
    letter["References"] = " ".join(references)
    letter[OWN_HEADER] = "reply"
    letter.set_content(message.body_text or "")
    if message.body_html:
        letter.add_alternative(message.body_html, subtype="html")
    return letter


def _fail(reply: OutgoingReply, ticket: Ticket | None, error: str) -> str:
    reply.status, reply.error = "failed", error[:2000]
    if ticket is not None:
        record_event(None, "gmail.reply_failed", ticket,
                     {"number": ticket.number, "message_id": reply.message_id,
                      "error": error[:300]})
    return "failed"


def send_reply(reply_id: int, *, final: bool) -> str:
    """Send one reply (a job). ``final``: no retry follows, so a busy Google fails it."""
    reply = db.session.get(OutgoingReply, reply_id)
    if reply is None or reply.status == "sent":
        return "nothing to do"
    ticket = db.session.get(Ticket, reply.ticket_id)
    message = db.session.get(Message, reply.message_id)
    customer = db.session.get(Customer, ticket.customer_id) if ticket else None
    mailbox = connected_mailbox()
    if ticket is None or message is None or customer is None:
        return _fail(reply, ticket, "the ticket or the reply is gone")
    if mailbox is None:
        return _fail(reply, ticket, "the Gmail mailbox is not connected")
    thread, inbound, outbound = _thread(ticket.id)
    letter = compose(reply, ticket, message, customer, mailbox.email, inbound, outbound)
    reply.attempts += 1
    try:
        gmail = access.gmail_for(mailbox)
        sent = gmail.send(bytes(letter), thread_id=thread or None)
    except Retryable as exc:
        if not final:
            reply.error = str(exc)[:2000]
            commit()  # the attempt is counted even though the job raises for RQ's retry
            raise
        return _fail(reply, ticket, str(exc))
    except DeadToken as exc:
        reconnect.needs_reconnecting(mailbox, str(exc))
        return _fail(reply, ticket, "Google no longer accepts the mailbox: reconnect it")
    except (GmailError, vault.Unreadable) as exc:
        return _fail(reply, ticket, str(exc))
    access.remember(mailbox, gmail)
    reply.status, reply.error, reply.sent_at = "sent", "", utcnow()
    reply.gmail_id = str(sent.get("id", ""))[:64]
    reply.gmail_thread_id = str(sent.get("threadId", "") or thread)[:64]
    return "sent"


def failed_replies(ticket: Ticket) -> list[OutgoingReply]:
    """The ticket's replies Gmail did not take (the ticket page shows them); no query for
    a tenant that never connected Gmail."""
    if mailbox_status() is None:
        return []
    return list(db.session.scalars(select(OutgoingReply).where(
        OutgoingReply.ticket_id == ticket.id, OutgoingReply.status == "failed")
        .order_by(OutgoingReply.id)))


def resend(*, actor, ticket: Ticket, reply_id: int) -> OutgoingReply:
    """Send a failed reply again (whoever may reply to the ticket)."""
    require(actor, ticket, "reply")
    reply = db.session.get(OutgoingReply, reply_id)
    if reply is None or reply.ticket_id != ticket.id:
        raise NotFound()
    if reply.status != "failed":
        raise Conflict(_("This reply is not waiting to be sent again."))
    if connected_mailbox() is None:
        raise Conflict(_("Connect the Gmail mailbox first."))
    reply.status, reply.error, reply.attempts = "pending", "", 0
    queue_reply(ticket.tenant_id, reply.id)
    return reply


@tenant_job
def send_reply_job(tenant_id: int, reply_id: int) -> str:
    """Send an agent's reply through Gmail; RQ retries a busy Google, the last try marks
    the reply failed on the ticket."""
    job = get_current_job()
    return send_reply(reply_id, final=job is None or not job.retries_left)


def queue_reply(tenant_id: int, reply_id: int) -> None:
    """Send the reply from a job on the ``mail`` queue, after the commit."""
    enqueue(send_reply_job, tenant_id, reply_id, queue_name="mail",
            retry=Retry(max=RETRIES, interval=RETRY_PAUSES))
