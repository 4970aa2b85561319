"""SLA on tickets: due times on every change (the ticket hook) and the breach sweep. The
inbox's "near or past breach" filter reads the due times on the ticket (``app.tickets.display``).
"""
from sqlalchemy import and_, or_, select

from app.db_types import utcnow
from app.events.service import record_event
from app.extensions import db
from app.sla.settings import load_calendar, targets_for
from app.sla.tracking import apply_sla
from app.tickets.constants import DONE_STATUSES
from app.tickets.models import Ticket


def _due_json(ticket) -> dict:
    return {"number": ticket.number,
            "first_response_due_at": ticket.first_response_due_at.isoformat()
            if ticket.first_response_due_at else None,
            "resolution_due_at": ticket.resolution_due_at.isoformat()
            if ticket.resolution_due_at else None}


def recompute_sla(ticket, reason: str, *, calendar=None, now=None) -> None:
    """Pause or resume the clock, set the due times from the priority's targets, and the
    breach flag (an event when it turns)."""
    calendar = calendar or load_calendar()
    newly_breached = apply_sla(ticket, targets=targets_for(ticket.priority),
                               calendar=calendar, now=now or utcnow())
    if newly_breached:
        record_event(None, "ticket.sla_breached", ticket, _due_json(ticket) | {"reason": reason})


def on_ticket_changed(_app, *, ticket, reason: str) -> None:
    """Receiver of ``ticket_changed``."""
    recompute_sla(ticket, reason)


def overdue(now):
    """Open, not yet flagged tickets whose running clock has passed a due time."""
    return (select(Ticket)
            .where(Ticket.sla_breached.is_(False), Ticket.status.not_in(DONE_STATUSES),
                   Ticket.deleted_at.is_(None), Ticket.spam.is_(False))
            .where(or_(and_(Ticket.first_response_at.is_(None),
                            Ticket.first_response_due_at < now),
                       and_(Ticket.sla_paused_at.is_(None), Ticket.resolution_due_at < now))))


def mark_breaches(*, now=None) -> int:
    """Flag the current tenant's tickets that went past a due time since the last sweep."""
    now = now or utcnow()
    count = 0
    for ticket in db.session.scalars(overdue(now)):
        ticket.sla_breached = True
        record_event(None, "ticket.sla_breached", ticket, _due_json(ticket) | {"reason": "time"})
        count += 1
    db.session.flush()
    return count


def recompute_open_tickets() -> int:
    """After the hours, holidays or targets change: new due times for every open ticket."""
    calendar, count = load_calendar(), 0
    now = utcnow()
    for ticket in db.session.scalars(select(Ticket).where(
            Ticket.status.not_in(DONE_STATUSES), Ticket.deleted_at.is_(None))):
        recompute_sla(ticket, "settings", calendar=calendar, now=now)
        count += 1
    db.session.flush()
    return count

