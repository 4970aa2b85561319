"""Spam: the stop lists screen every new request (whatever its channel), a held request is
kept with the reason in the event log, and "not spam" brings it to the inbox.

The ticket desk knows nothing of stop lists: ``screen_draft`` and ``note_held`` are
receivers of its ``ticket_drafted`` and ``ticket_created`` signals (connected in
``app.spam.init_app``); the draft's ``spam`` flag keeps the request out of the daily views
and the day's quota.
"""
from sqlalchemy import select

from app.events.models import Event
from app.events.service import record_event
from app.extensions import db
from app.spam import signals
from app.spam.stop_list import current_screen
from app.tickets import signals as ticket_signals
from app.tickets.access import require
from app.tickets.models import Message, Ticket
from tenants import context

HELD = "ticket.held_as_spam"  # the event note_held records


def screen_draft(_app, *, draft) -> None:
    """Receiver of ``ticket_drafted``: a request matching a stop list is stored as spam."""
    if current_screen().match(email=draft.requester_email, subject=draft.subject,
                              body=draft.body_text) is not None:
        draft.spam = True


def note_held(_app, *, ticket: Ticket) -> None:
    """Receiver of ``ticket_created``: say in the log which entry held the request back (one
    query and one row, for spam only; the lists may change before anyone looks)."""
    if not ticket.spam:
        return
    body = db.session.scalar(select(Message.body_text).where(Message.ticket_id == ticket.id)
                             .order_by(Message.id).limit(1)) or ""
    email = ticket.customer.email if ticket.customer is not None else ""
    match = current_screen().match(email=email, subject=ticket.subject, body=body)
    record_event(None, "ticket.held_as_spam", ticket, {"number": ticket.number,
                                                       **(match.as_dict() if match else {})})


def held_because(ticket: Ticket) -> dict | None:
    """``{"kind", "entry"}`` of the stop-list entry that held ``ticket``, as logged."""
    data = db.session.scalar(
        select(Event.data).where(Event.action == HELD, Event.object_type == "ticket",
                                 Event.object_id == str(ticket.id))
        .order_by(Event.id.desc()).limit(1))
    return data if data and data.get("kind") else None


def not_spam(*, actor, ticket: Ticket) -> Ticket:
    """A request held as spam is genuine: it goes to the inbox (reply right in its
    department). It takes its place in today's quota now, or waits over the limit like any
    other request; SLA times run from when it arrived."""
    require(actor, ticket, "reply")
    if not ticket.spam:
        return ticket
    ticket.spam = False
    ticket.deferred = not ticket_signals.admitted(context.current_tenant_id())
    db.session.flush()
    record_event(actor, "ticket.not_spam", ticket, {"number": ticket.number,
                                                    "deferred": ticket.deferred})
    ticket_signals.changed(ticket, "released")
    signals.released(ticket)
    return ticket
