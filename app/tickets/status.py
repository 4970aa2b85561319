"""Status changes and the timestamps they drive (resolved, closed; cleared on reopening)."""
from app.db_types import utcnow
from app.events.service import record_event
from app.tickets import signals
from app.tickets.constants import DONE_STATUSES, STATUSES
from app.tickets.models import Ticket
from app.tickets.validation import check_choice


def set_status(*, actor, ticket: Ticket, status: str) -> bool:
    """Move ``ticket`` to ``status`` (no access check: callers check). Returns whether it
    changed. Bumps the version (collision protection) and sends ``ticket_changed`` (SLA)."""
    check_choice("status", status, STATUSES)
    before = ticket.status
    if status == before:
        return False
    now = utcnow()
    if status == "resolved":
        ticket.resolved_at = now
        ticket.closed_at = None
    elif status == "closed":
        ticket.closed_at = now
        ticket.resolved_at = ticket.resolved_at or now
    else:
        # Reopened: it is neither resolved nor closed any more, and back in daily views.
        ticket.resolved_at = ticket.closed_at = None
        if before in DONE_STATUSES:
            ticket.archived_at = None
    ticket.status = status
    ticket.version += 1
    ticket.updated_at = now
    record_event(actor, "ticket.status_changed", ticket, {
        "number": ticket.number, "before": before, "after": status, "version": ticket.version})
    signals.changed(ticket, "status")
    if status == "resolved":
        signals.resolved(ticket, actor)
    return True

