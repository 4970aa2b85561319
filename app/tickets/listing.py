"""The inbox's queries: filters, full-text search and keyset pagination (newest first).

Daily views leave out trashed, archived and deferred tickets (partial indexes cover
exactly those rows); each can be asked for on its own. Search includes the archive.

The service's lists (``list_tickets``, ``search_tickets``) run prepared statements, one per
shape of filters (``app.tickets.filters``), compiled once and then only given new values: a
page costs little more than its SQL. ``ticket_query`` and ``page`` serve the callers that add
conditions of their own to the statement.

The inbox and its everyday views run on their statement's generic plan (``_GENERIC``).
PostgreSQL would plan them afresh on every run (half of a page's time on the server): it
takes a generic plan only when that looks no costlier than a fresh one, and a page's
generic plan cannot see the page's size (a parameter) or the tenant's, so it always looks
costlier. Yet for these views that plan — a walk of a tenant-first index in id order,
stopping at the page's end — suits every tenant, large or small. Other views keep the
planner's choice, made for the values asked: which departments (a department's tickets in
a large tenant took 50 ms on the generic plan instead of 1.4), the trash or the archive,
a due time, a customer, a search's words.
"""
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import BigInteger, Select, bindparam, func, select, text

from app.extensions import db
from app.staff.models import Staff
from app.tickets import rows, search, search_steps
from app.tickets.filters import FLAGS, Plan, chosen_name, conditions, plan
from app.tickets.models import Ticket
from app.tickets.rows import TicketRow

MAX_PAGE = 100
# A page is a short walk that stops at its limit, which parallel workers only slow down: they
# take longer to start (milliseconds, tens on a busy server) than the walk takes. The planner
# can't know the walk stops early when a condition is tested on every ticket and the tenant
# is large, so those pages turn them off first, for the rest of the transaction.
_SERIAL = text("SELECT set_config('max_parallel_workers_per_gather', '0', true)")
# A prepared page carries the setting itself, in one round trip instead of two: a condition
# true once the setting is made (a subquery without outer references: evaluated once). And
# ``set_config`` may not run in a parallel worker, so the planner plans that statement
# serially whatever the setting was (the rls module's lookups carry their settings the same
# way).
_SERIAL_HERE = text("(SELECT set_config('max_parallel_workers_per_gather', '0', true)) = '0'")


@dataclass
class TicketPage:
    items: list[TicketRow]
    next_cursor: int | None  # the id to continue below, or None at the end


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _is_status(part) -> bool:
    return isinstance(part, tuple) and part[0] == "status"


def ticket_query(staff: Staff, **filters) -> Select:
    """``select(Ticket)`` for what ``staff`` may see, filtered: ``status``/``priority``/
    ``type`` take one value, a list, or a comma-separated string (unknown values are a 422);
    ``deferred``/``deleted``/``archived``/``spam``: False hides them (the default), True shows
    only them, None both; ``q`` searches (see ``filters.plan`` for all of them)."""
    found = plan(staff, **filters)
    where = conditions(found.shape, _dialect(), found.values)
    stmt = select(Ticket).where(*where)
    if found.statuses > 1:  # ``page`` walks each status's index in id order and merges
        in_statuses = next(c for c, part in zip(where, found.shape, strict=True)
                           if _is_status(part))
        statuses = tuple(found.values[chosen_name("status", i)] for i in range(found.statuses))
        stmt = stmt.execution_options(ticket_statuses=(statuses, in_statuses))
    if found.tested:
        stmt = stmt.execution_options(ticket_tested=True)
    if found.q:
        # The condition makes the statement right wherever it runs; the option lets
        # ``page`` find a search page in bounded steps (see search.search_rows).
        clause = search.matches(found.q)
        stmt = stmt.where(clause).execution_options(ticket_search=(found.q, clause))
    return stmt


def _serial(dialect: str) -> None:
    if dialect == "postgresql":
        db.session.execute(_SERIAL)


def _cut(found: list[TicketRow], limit: int) -> TicketPage:
    more = len(found) > limit
    found = found[:limit]
    return TicketPage(items=found, next_cursor=found[-1].id if more and found else None)


def page(stmt: Select, *, cursor: int | None = None, limit: int = 50) -> TicketPage:
    """One keyset page of ``stmt`` by id descending: cost stays flat however deep. The rows
    are ``TicketRow``s (read-only, see ``app.tickets.rows``), not ``Ticket`` entities."""
    limit = max(1, min(limit, MAX_PAGE))
    if cursor is not None:
        stmt = stmt.where(Ticket.id < cursor)
    options = stmt.get_execution_options()
    if options.get("ticket_search"):
        q, clause = options["ticket_search"]
        found = search.search_rows(search_steps.StatementSource(stmt, clause), q, cursor=cursor,
                                   want=limit + 1)
        return _cut(found, limit)
    if options.get("ticket_tested"):
        _serial(_dialect())
    if options.get("ticket_statuses"):
        # PostgreSQL 15 can't read an index in id order under an IN list on the status
        # column, and sorting every active ticket of a large tenant costs far more: each
        # status gets its own ordered walk of the (tenant, status, id) index, merged in the
        # same statement. The IN condition is taken out of each walk (``status = …``).
        statuses, in_statuses = options["ticket_statuses"]
        base = search_steps.without(stmt, in_statuses)
        found = rows.fetch(*(base.where(Ticket.status == status) for status in statuses),
                           limit=limit + 1)
    else:
        found = rows.fetch(stmt, limit=limit + 1)
    return _cut(found, limit)


@lru_cache(maxsize=1024)
def _prepared(dialect: str, shape: tuple, statuses: int, cursor: bool,
              step: str | None = None, below: bool = False) -> Select:
    """The page statement of a list of ``shape`` (``page``'s, with named parameters and the
    tenant named): with ``statuses`` > 1 one walk per status, merged; ``cursor``: below
    ``:cursor``; ``step``: a search step's conditions (``search_steps.step``)."""
    walks = ()
    if statuses > 1 and step is None:
        shape = tuple(part for part in shape if not _is_status(part))
        walks = tuple(Ticket.status == bindparam(chosen_name("status", i)) for i in range(statuses))
    where = [Ticket.tenant_id == rows.TENANT, *conditions(shape, dialect, tenant=rows.TENANT)]
    if cursor:
        where.append(Ticket.id < bindparam("cursor", type_=BigInteger))
    if step is not None:
        where += search_steps.step(step, dialect, below=below)
    serial = step is None and dialect == "postgresql" and Plan(shape, {}).tested
    return rows.prepared(where, *walks, outer=(_SERIAL_HERE,) if serial else ())


class _PreparedSource(search_steps.Source):
    """A search's steps on the prepared statement of a plan."""

    def __init__(self, found: Plan, dialect: str, values: dict, cursor: bool):
        self.found, self.dialect, self.values, self.cursor = found, dialect, values, cursor

    def rows(self, kind, *, below, limit, values):
        stmt = _prepared(self.dialect, self.found.shape, 0, self.cursor, kind,
                         below is not None)
        return rows.run(stmt, {**self.values, **values, "below": below}, limit=limit)


# The parts of a shape whose page runs on the generic plan: a status, a priority, an
# assignee or none, with the daily view's hidden tickets hidden. Measured at 10,000 and
# 1,000,000 tickets a tenant (bench/tickets): as fast as a fresh plan or faster, for each.
_GENERIC = frozenset({"status", "priority", "assignee_id", "unassigned"})


def _generic(found: Plan) -> bool:
    """Whether ``found``'s page runs on its statement's generic plan (``_GENERIC``)."""
    for part in found.shape:
        name, value = part if isinstance(part, tuple) else (part, None)
        if name in FLAGS:
            if value is not False:  # a view of the trash, the archive, spam, deferred
                return False
        elif name not in _GENERIC:
            return False
    return True


def _page(found: Plan, *, cursor: int | None, limit: int) -> TicketPage:
    """``page`` for a plan, on its prepared statement."""
    limit = max(1, min(limit, MAX_PAGE))
    values = {**found.values, "cursor": cursor}
    if found.q:
        source = _PreparedSource(found, _dialect(), values, cursor is not None)
        return _cut(search.search_rows(source, found.q, cursor=cursor, want=limit + 1), limit)
    connection = rows.reading()
    stmt = _prepared(connection.dialect.name, found.shape, found.statuses, cursor is not None)
    return _cut(rows.run(stmt, values, limit=limit + 1, connection=connection,
                         generic=_generic(found)), limit)


def list_tickets(staff: Staff, *, cursor: int | None = None, limit: int = 50,
                 **filters) -> TicketPage:
    """The inbox: a page of tickets ``staff`` may see, with ``ticket_query``'s filters."""
    return _page(plan(staff, **filters), cursor=cursor, limit=limit)


def search_tickets(staff: Staff, q: str, *, cursor: int | None = None, limit: int = 50,
                   **filters) -> TicketPage:
    """Full-text search over subjects and conversations, archive included, in the
    departments ``staff`` may see."""
    filters.setdefault("archived", None)
    return _page(plan(staff, q=q, **filters), cursor=cursor, limit=limit)


def count_tickets(staff: Staff, **filters) -> int:
    stmt = ticket_query(staff, **filters).with_only_columns(func.count(Ticket.id))
    return db.session.scalar(stmt.order_by(None))
