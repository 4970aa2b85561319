"""Department access: who sees and acts on which tickets.

Admins and managers see every ticket. Agents see the tickets of departments they
hold a right in (view < reply < manage) and tickets not yet sorted into any
department. A ticket an agent can't see doesn't exist for them (404) — in the UI,
the API and search alike; one they see but may not act on is a 403.
"""
from flask_babel import gettext as _
from sqlalchemy import Select, or_, select

from app.errors import Forbidden, NotFound
from app.extensions import db
from app.staff.models import DepartmentAccess, Staff
from app.tickets.models import Ticket

RANK = {"view": 1, "reply": 2, "manage": 3}
# What an agent may do on a ticket that has no department yet (dispatch it, answer it).
UNSORTED_LEVEL = "reply"


def sees_all(staff: Staff) -> bool:
    return staff.role in ("admin", "manager")


def department_rights(staff: Staff) -> dict[int, str]:
    """``{department_id: level}`` of an agent's rights."""
    rows = db.session.execute(select(DepartmentAccess.department_id, DepartmentAccess.access)
                              .where(DepartmentAccess.staff_id == staff.id))
    return {department_id: level for department_id, level in rows}


def level_in(staff: Staff, department_id: int | None) -> str | None:
    """The staff member's level on tickets of ``department_id`` (None: no access)."""
    if sees_all(staff):
        return "manage"
    if department_id is None:
        return UNSORTED_LEVEL
    return department_rights(staff).get(department_id)


def can(staff: Staff, ticket: Ticket, need: str = "view") -> bool:
    level = level_in(staff, ticket.department_id)
    return level is not None and RANK[level] >= RANK[need]


def visible_tickets(staff: Staff, stmt: Select | None = None) -> Select:
    """``select(Ticket)`` (or ``stmt``) narrowed to what ``staff`` may see; inbox and search
    build on it. The department list is inlined so the planner can use the department index."""
    stmt = select(Ticket) if stmt is None else stmt
    if sees_all(staff):
        return stmt
    departments = list(department_rights(staff))
    if not departments:
        return stmt.where(Ticket.department_id.is_(None))
    return stmt.where(or_(Ticket.department_id.is_(None),
                          Ticket.department_id.in_(departments)))


def require(staff, ticket: Ticket, need: str) -> None:
    """Raise NotFound if ``staff`` can't see ``ticket``, Forbidden if the right is too low.
    Actions by the system or a customer (``staff`` not a Staff) are not department-bound."""
    if not isinstance(staff, Staff):
        return
    level = level_in(staff, ticket.department_id)
    if level is None:
        raise NotFound(_("Ticket not found."))
    if RANK[level] < RANK[need]:
        raise Forbidden(_("You need the “%(level)s” right in this ticket's department.",
                          level=need))


def get_ticket(staff: Staff, number: int, need: str = "view") -> Ticket:
    """The ticket with ``number`` as ``staff`` may see it; 404 otherwise."""
    ticket = db.session.scalar(visible_tickets(staff).where(Ticket.number == number))
    if ticket is None:
        raise NotFound(_("Ticket not found."))
    require(staff, ticket, need)
    return ticket
