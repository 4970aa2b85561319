"""How pages show tickets: the active statuses, due times (the badge, and the "near or past
breach" filter), and names for the ids a row holds. The desk's own pages, the customer and
organization pages and the dashboard share it, so it is not one of the desk's views (areas
never import each other's views). The due times are the SLA area's, kept on the ticket."""
from datetime import timedelta

from sqlalchemy import and_, or_

from app.db_types import utcnow
from app.departments.service import list_departments
from app.staff.service import list_staff
from app.tickets.constants import DONE_STATUSES, STATUSES
from app.tickets.models import Ticket

# Tickets still being worked on: what the daily views show unless a status is chosen.
ACTIVE = [s for s in STATUSES if s not in DONE_STATUSES]
# "Near breach": a due time inside this window, or already past (the SLA area's filter).
NEAR = timedelta(hours=2)


def due_state(ticket) -> str | None:
    """``"breach"``, ``"soon"`` or None, for the badge next to a ticket."""
    if ticket.status not in ACTIVE:
        return None
    if ticket.sla_breached:
        return "breach"
    now = utcnow()
    dues = [ticket.resolution_due_at] if ticket.sla_paused_at is None else []
    if ticket.first_response_at is None:
        dues.append(ticket.first_response_due_at)
    dues = [d for d in dues if d is not None]
    if not dues:
        return None
    soonest = min(dues)
    if soonest <= now:
        return "breach"
    return "soon" if soonest <= now + NEAR else None


def due_by(horizon) -> list:
    """The conditions "open, and past a due time or reaching one by ``horizon``" (a moment,
    or a parameter standing for one)."""
    first_due = and_(Ticket.first_response_at.is_(None), Ticket.first_response_due_at <= horizon)
    resolution_due = and_(Ticket.sla_paused_at.is_(None), Ticket.resolution_due_at <= horizon)
    return [Ticket.status.not_in(DONE_STATUSES),
            or_(Ticket.sla_breached.is_(True), first_due, resolution_due)]


def near_breach(stmt, within: timedelta = timedelta(hours=1), *, now=None):
    """Narrow a ``select(Ticket)`` to open tickets past a due time or reaching one within
    ``within`` — the inbox's "near or past breach" view. The caller orders and pages."""
    return stmt.where(*due_by((now or utcnow()) + within))


def people() -> dict:
    """Departments and active staff by id, for selects and for showing names."""
    return {"departments": list_departments(),
            "staff": [s for s in list_staff() if s.active]}


def names_by_id(rows) -> dict[int, str]:
    return {row.id: row.name for row in rows}
