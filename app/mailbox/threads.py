"""Which ticket a letter continues, by these rules in order:

1. ``thread``: its Gmail thread already holds a letter of a ticket (one we imported, or a
   reply we sent);
2. ``references``: its ``In-Reply-To``/``References`` cite a letter of a ticket (one we
   imported or sent, or any of our letters about ticket N, ``<ticket-N.tenant-T…>``, when
   the sender is that ticket's requester);
3. ``subject_token``: its subject carries ``[#123]`` and it comes from that ticket's
   requester (so a stranger cannot write into someone else's ticket by typing a number);
otherwise it is ``new``. A ticket merged into another continues in the survivor; a ticket
in the trash is not continued (the letter becomes a new ticket, nothing is hidden).
"""
import re

from sqlalchemy import select

from app.customers.models import Customer
from app.extensions import db
from app.mailbox.models import LogEntry, OutgoingReply
from app.tickets.models import Ticket
from integrations.gmail.mime import Letter
from tenants import context

TOKEN = re.compile(r"\[#(\d{1,15})\]")
OUR_ID = re.compile(r"^<ticket-(\d{1,15})\.tenant-(\d{1,15})[.@]")
MAX_MERGES = 10


def _by_thread(thread_id: str) -> int | None:
    if not thread_id:
        return None
    found = db.session.scalar(
        select(LogEntry.ticket_id).where(LogEntry.thread_id == thread_id,
                                         LogEntry.ticket_id.is_not(None))
        .order_by(LogEntry.id.desc()).limit(1))
    if found is None:
        found = db.session.scalar(
            select(OutgoingReply.ticket_id).where(OutgoingReply.gmail_thread_id == thread_id)
            .order_by(OutgoingReply.id.desc()).limit(1))
    return found


def _by_references(ids: list[str]) -> int | None:
    if not ids:
        return None
    rows = dict(db.session.execute(
        select(LogEntry.message_id, LogEntry.ticket_id).where(
            LogEntry.message_id.in_(ids), LogEntry.ticket_id.is_not(None))).all())
    rows.update(db.session.execute(
        select(OutgoingReply.rfc_message_id, OutgoingReply.ticket_id).where(
            OutgoingReply.rfc_message_id.in_(ids))).all())
    for value in ids:  # the nearest cited letter wins
        if value in rows:
            return rows[value]
    return None


def _requesters(number: int, letter: Letter) -> Ticket | None:
    """Ticket ``number`` if the letter comes from its requester."""
    ticket = db.session.scalar(select(Ticket).where(Ticket.number == number))
    if ticket is None:
        return None
    requester = db.session.get(Customer, ticket.customer_id)
    if requester is None or requester.email.lower() != letter.from_address:
        return None
    return ticket


def _by_our_ids(letter: Letter) -> Ticket | None:
    tenant_id = context.current_tenant_id()
    for value in letter.thread_ids:
        match = OUR_ID.match(value)
        if match and int(match.group(2)) == tenant_id:
            return _requesters(int(match.group(1)), letter)
    return None


def _by_token(letter: Letter) -> Ticket | None:
    match = TOKEN.search(letter.subject)
    return _requesters(int(match.group(1)), letter) if match else None


def _live(ticket: Ticket | None) -> Ticket | None:
    for _step in range(MAX_MERGES):
        if ticket is None or ticket.deleted_at is not None:
            return None
        if ticket.merged_into_id is None:
            return ticket
        ticket = db.session.get(Ticket, ticket.merged_into_id)
    return None


def find_ticket(letter: Letter, *, thread_id: str) -> tuple[Ticket | None, str]:
    """(the ticket the letter continues, the rule that found it) or (None, "new")."""
    ticket_id = _by_thread(thread_id)
    if ticket_id is not None:
        ticket = _live(db.session.get(Ticket, ticket_id))
        if ticket is not None:
            return ticket, "thread"
    ticket_id = _by_references(letter.thread_ids)
    if ticket_id is not None:
        ticket = _live(db.session.get(Ticket, ticket_id))
        if ticket is not None:
            return ticket, "references"
    ticket = _live(_by_our_ids(letter))
    if ticket is not None:
        return ticket, "references"
    ticket = _live(_by_token(letter))
    if ticket is not None:
        return ticket, "subject_token"
    return None, "new"
