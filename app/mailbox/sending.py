"""Letters through the tenant's Gmail: the transport the letters area asks for
(``integrations.mail.transports``). A letter about a ticket goes into that ticket's Gmail
thread when one is known (found by its ``References``)."""
import re
from email.message import EmailMessage
from email.utils import formataddr, parseaddr

from sqlalchemy import select

from app.extensions import db
from app.mailbox import access, reconnect
from app.mailbox.mailboxes import connected_mailbox
from app.mailbox.models import LogEntry, OutgoingReply
from app.mailbox.status import mailbox_status
from app.tickets.models import Ticket
from integrations.gmail.oauth import DeadToken
from integrations.gmail.rules import OWN_HEADER
from tenants import context

_TICKET_REF = re.compile(r"<ticket-(\d{1,15})\.tenant-(\d{1,15})[.@]")


class NotConnected(RuntimeError):
    """The tenant has no connected Gmail mailbox (any more)."""


def ticket_thread(ticket_id: int) -> str | None:
    """The Gmail thread of a ticket's letters, the newest known."""
    found = db.session.scalar(select(LogEntry.thread_id).where(
        LogEntry.ticket_id == ticket_id, LogEntry.thread_id != "")
        .order_by(LogEntry.id.desc()).limit(1))
    return found or db.session.scalar(select(OutgoingReply.gmail_thread_id).where(
        OutgoingReply.ticket_id == ticket_id, OutgoingReply.gmail_thread_id != "")
        .order_by(OutgoingReply.id.desc()).limit(1)) or None


def _thread_of(message: EmailMessage) -> str | None:
    tenant_id = context.current_tenant_id()
    cited = f"{message.get('In-Reply-To', '')} {message.get('References', '')}"
    for number, tenant in _TICKET_REF.findall(cited):
        if int(tenant) == tenant_id:
            ticket_id = db.session.scalar(select(Ticket.id).where(Ticket.number == int(number)))
            if ticket_id is not None:
                return ticket_thread(ticket_id)
    return None


def send_via_gmail(tenant_id: int, message: EmailMessage, thread_id: str | None = None) -> str:
    """Send ``message`` from the tenant's mailbox (in the current tenant's job); where it
    went. Google busy raises ``Retryable`` (the caller's job retries); a dead token marks
    the mailbox and raises ``DeadToken``."""
    if context.current_tenant_id() != tenant_id:
        raise NotConnected("the letter's tenant is not the current one")
    mailbox = connected_mailbox()
    if mailbox is None:
        raise NotConnected("no Gmail mailbox is connected")
    name = parseaddr(str(message.get("From", "")))[0]
    del message["From"]
    message["From"] = formataddr((name, mailbox.email)) if name else mailbox.email
    if OWN_HEADER not in message:
        message[OWN_HEADER] = "letter"
    gmail = access.gmail_for(mailbox)
    try:
        sent = gmail.send(bytes(message), thread_id=thread_id or _thread_of(message))
    except DeadToken as exc:
        reconnect.needs_reconnecting(mailbox, str(exc))
        raise
    access.remember(mailbox, gmail)
    return f"gmail:{mailbox.email}:{sent.get('id', '')}"


def gmail_transport(tenant_id: int):
    """For ``register_tenant_transport``: the tenant's Gmail sender while it is connected."""
    if context.current_tenant_id() != tenant_id:
        return None
    known = mailbox_status()  # cached: no query for a company without Gmail
    if known is None or known[0] != "connected" or connected_mailbox() is None:
        return None
    return lambda message: send_via_gmail(tenant_id, message)
