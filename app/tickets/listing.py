"""The inbox's queries: filters, full-text search and keyset pagination (newest first).

Daily views leave out trashed, archived and deferred tickets (partial indexes cover
exactly those rows); each can be asked for on its own. Search includes the archive.
"""
from dataclasses import dataclass

from sqlalchemy import Select, exists, func, literal, select
from sqlalchemy.dialects.postgresql import JSONB

from app.customers.models import Customer
from app.extensions import db
from app.staff.models import Staff
from app.tickets import rows, search
from app.tickets.access import visible_tickets
from app.tickets.constants import PRIORITIES, STATUSES, TYPES
from app.tickets.models import Ticket
from app.tickets.rows import TicketRow
from app.tickets.validation import check_choice

MAX_PAGE = 100


@dataclass
class TicketPage:
    items: list[TicketRow]
    next_cursor: int | None  # the id to continue below, or None at the end


def _as_list(field: str, value, allowed: tuple) -> list[str] | None:
    if value is None or value == [] or value == "":
        return None
    values = value if isinstance(value, list | tuple) else str(value).split(",")
    return [check_choice(field, v.strip(), allowed) for v in values]


def _has_tag(tag: str):
    if db.session.get_bind().dialect.name == "postgresql":
        return Ticket.tags.cast(JSONB).contains([tag])
    each = func.json_each(Ticket.tags).table_valued("value")
    return exists(select(literal(1)).select_from(each).where(each.c.value == tag))


def _tristate(stmt: Select, column, wanted: bool | None) -> Select:
    if wanted is None:
        return stmt
    return stmt.where(column.is_not(None) if wanted else column.is_(None))


def ticket_query(staff: Staff, *, status=None, priority=None, type=None,
                 department_id: int | None = None, assignee_id: int | None = None,
                 unassigned: bool = False, tag: str | None = None,
                 requester_email: str | None = None, customer_id: int | None = None,
                 organization_id: int | None = None, deferred: bool | None = False,
                 deleted: bool | None = False, archived: bool | None = False,
                 spam: bool | None = False, q: str | None = None,
                 escalation_level: int | None = None) -> Select:
    """``select(Ticket)`` for what ``staff`` may see, filtered. ``status``/``priority``/
    ``type`` take one value, a list, or a comma-separated string; unknown values are a 422.
    ``deferred``/``deleted``/``archived``/``spam``: False hides them (the default), True shows
    only them, None both."""
    stmt = visible_tickets(staff)
    statuses = _as_list("status", status, STATUSES)
    if statuses:
        in_statuses = Ticket.status.in_(statuses)
        stmt = stmt.where(in_statuses)
        if len(statuses) > 1:  # ``page`` walks each status's index in id order and merges
            stmt = stmt.execution_options(ticket_statuses=(tuple(statuses), in_statuses))
    priorities = _as_list("priority", priority, PRIORITIES)
    if priorities:
        stmt = stmt.where(Ticket.priority.in_(priorities))
    types = _as_list("type", type, TYPES)
    if types:
        stmt = stmt.where(Ticket.type.in_(types))
    if department_id is not None:
        stmt = stmt.where(Ticket.department_id == department_id)
    if unassigned:
        stmt = stmt.where(Ticket.assignee_id.is_(None))
    elif assignee_id is not None:
        stmt = stmt.where(Ticket.assignee_id == assignee_id)
    if tag:
        stmt = stmt.where(_has_tag(tag.strip().lower()))
    if requester_email:
        stmt = stmt.where(Ticket.customer_id.in_(
            select(Customer.id).where(Customer.email == requester_email.strip().lower())))
    if customer_id is not None:
        stmt = stmt.where(Ticket.customer_id == customer_id)
    if organization_id is not None:
        stmt = stmt.where(Ticket.organization_id == organization_id)
    if escalation_level is not None:
        stmt = stmt.where(Ticket.escalation_level == escalation_level)
    if deferred is not None:
        stmt = stmt.where(Ticket.deferred if deferred else ~Ticket.deferred)
    if spam is not None:  # few rows: a filter on the inbox walks, ix_tickets_spam for the view
        stmt = stmt.where(Ticket.spam if spam else ~Ticket.spam)
    stmt = _tristate(stmt, Ticket.deleted_at, deleted)
    stmt = _tristate(stmt, Ticket.archived_at, archived)
    if q and q.strip():
        # The condition makes the statement right wherever it runs; the option lets
        # ``page`` find a search page in bounded steps (see search.search_rows).
        clause = search.matches(q.strip())
        stmt = stmt.where(clause).execution_options(ticket_search=(q.strip(), clause))
    return stmt


def page(stmt: Select, *, cursor: int | None = None, limit: int = 50) -> TicketPage:
    """One keyset page of ``stmt`` by id descending: cost stays flat however deep. The rows
    are ``TicketRow``s (read-only, see ``app.tickets.rows``), not ``Ticket`` entities."""
    limit = max(1, min(limit, MAX_PAGE))
    if cursor is not None:
        stmt = stmt.where(Ticket.id < cursor)
    options = stmt.get_execution_options()
    if options.get("ticket_search"):
        q, clause = options["ticket_search"]
        found = search.search_rows(stmt, q, clause, cursor=cursor, want=limit + 1)
    elif options.get("ticket_statuses"):
        # PostgreSQL 15 can't read an index in id order under an IN list on the status
        # column, and sorting every active ticket of a large tenant costs far more: each
        # status gets its own ordered walk of the (tenant, status, id) index, merged in the
        # same statement. The IN condition is taken out of each walk (``status = …``).
        statuses, in_statuses = options["ticket_statuses"]
        base = search.without(stmt, in_statuses)
        found = rows.fetch(*(base.where(Ticket.status == status) for status in statuses),
                           limit=limit + 1)
    else:
        found = rows.fetch(stmt, limit=limit + 1)
    more = len(found) > limit
    found = found[:limit]
    return TicketPage(items=found, next_cursor=found[-1].id if more and found else None)


def list_tickets(staff: Staff, *, cursor: int | None = None, limit: int = 50,
                 **filters) -> TicketPage:
    """The inbox: a page of tickets ``staff`` may see, with ``ticket_query``'s filters."""
    return page(ticket_query(staff, **filters), cursor=cursor, limit=limit)


def search_tickets(staff: Staff, q: str, *, cursor: int | None = None, limit: int = 50,
                   **filters) -> TicketPage:
    """Full-text search over subjects and conversations, archive included, in the
    departments ``staff`` may see."""
    filters.setdefault("archived", None)
    return page(ticket_query(staff, q=q, **filters), cursor=cursor, limit=limit)


def count_tickets(staff: Staff, **filters) -> int:
    stmt = ticket_query(staff, **filters).with_only_columns(func.count(Ticket.id))
    return db.session.scalar(stmt.order_by(None))
