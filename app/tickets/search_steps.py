"""The statements of a search's steps (see ``app.tickets.search``): each step is a condition
with named parameters added to a list's own statement, which a ``Source`` runs — the statement
a caller built, or a prepared one (``app.tickets.listing``) — plus the statements that decide
the steps: the settings and the tenant's size, the planner's estimate, the index's candidates.
The statements are built once, at import; the values travel with each run.
"""
from sqlalchemy import (
    BigInteger,
    Integer,
    Select,
    Text,
    any_,
    bindparam,
    cast,
    column,
    func,
    literal_column,
    select,
    text,
    tuple_,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import aliased

from app.extensions import db
from app.tickets.models import Ticket
from app.tickets.rows import TicketRow, fetch

_TSQUERY = ("(websearch_to_tsquery('english', :search_q) "
            "|| websearch_to_tsquery('russian', :search_q))")
_MATCHES_PG = ("SELECT ticket_id FROM ticket_search WHERE tenant_id = :search_tenant AND "
               f"document @@ {_TSQUERY}")
_MATCHES_FTS5 = ("SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH :search_q "
                 "AND tenant_id = :search_tenant")


def matching(dialect: str, **values):
    """The condition "the ticket matches the search": with ``:search_q`` and
    ``:search_tenant`` as parameters, or bound to ``values``."""
    ids = text(_MATCHES_PG if dialect == "postgresql" else _MATCHES_FTS5)
    if values:
        ids = ids.bindparams(**values)
    else:
        ids = ids.bindparams(bindparam("search_q", type_=Text),
                             bindparam("search_tenant", type_=BigInteger))
    return Ticket.id.in_(ids.columns(column("ticket_id", Integer)))


def without(stmt: Select, clause) -> Select:
    """``stmt`` minus one of its WHERE conditions (no public API for that)."""
    if clause is None or clause not in stmt._where_criteria:
        return stmt
    base = stmt._generate()
    base._where_criteria = tuple(c for c in stmt._where_criteria if c is not clause)
    return base


# The ticket's own document matches: a scalar subquery, which PostgreSQL evaluates row by
# row as the walk reaches each ticket (it never turns one into a join or a scan of the GIN
# index). The query itself is parsed once (its own subquery): a prepared statement's generic
# plan would otherwise parse it for every row.
_DOCUMENT_MATCHES = text(
    f"(SELECT document @@ (SELECT {_TSQUERY}) FROM ticket_search WHERE "
    f"tenant_id = :search_tenant AND ticket_id = tickets.id)").bindparams(
    bindparam("search_q", type_=Text), bindparam("search_tenant", type_=BigInteger))
# The tenant's newest ``:window`` ticket ids below ``:window_below``, newest first. The row
# comparison on (tenant_id, id) keeps the walk on the tenant's own index.
_Walked = aliased(Ticket, name="walked")
TENANT = bindparam("search_tenant", type_=BigInteger)
_WINDOW = (select(_Walked.id)
           .where(_Walked.tenant_id == TENANT,
                  tuple_(_Walked.tenant_id, _Walked.id)
                  < tuple_(TENANT, bindparam("window_below", type_=BigInteger)))
           .order_by(_Walked.tenant_id.desc(), _Walked.id.desc()))
_WINDOW_IDS = _WINDOW.limit(bindparam("window", type_=Integer)).subquery()
# The lowest id of the window (NULL when no ticket is left).
_WINDOW_START = select(func.min(_WINDOW_IDS.c.id)).scalar_subquery()
# Where the next window starts: its last id, or none when it held the tenant's oldest ticket.
WINDOW_END = _WINDOW.offset(bindparam("window_last", type_=Integer)).limit(1)
# A condition on tickets: the id is one of ``:search_ids`` (written into the statement as one
# comma-separated text value).
_AMONG = Ticket.id == any_(cast(func.string_to_array(
    bindparam("search_ids", type_=Text, literal_execute=True), literal_column("','")),
    ARRAY(BigInteger)))
_BELOW = Ticket.id < bindparam("below", type_=BigInteger)


def step(kind: str, dialect: str, *, below: bool) -> list:
    """The conditions of a search step, added to the list's own: ``window`` (the newest
    window, each ticket's own document tested), ``among`` (tickets by id), ``matches``
    (the search condition itself); ``below``: under ``:below`` too."""
    if kind == "window":
        where = [Ticket.id >= _WINDOW_START, _DOCUMENT_MATCHES]
    elif kind == "among":
        where = [_AMONG]
    else:
        where = [matching(dialect)]
    return where + [_BELOW] if below else where


class Source:
    """Runs the steps of a search on a list's statement: ``rows(kind, below, limit,
    values)`` gives the newest ``limit`` tickets of the statement with the step's conditions
    (``step``), for the step's ``values``."""

    def rows(self, kind: str, *, below: int | None, limit: int,
             values: dict) -> list[TicketRow]:
        raise NotImplementedError


class StatementSource(Source):
    """The steps on a statement a caller built: ``select(Ticket)`` with the search
    ``clause`` among its conditions, run through the ORM."""

    def __init__(self, stmt: Select, clause):
        self.base = without(stmt, clause)

    def rows(self, kind, *, below, limit, values):
        where = step(kind, db.session.get_bind().dialect.name, below=below is not None)
        return fetch(self.base.where(*where), limit=limit,
                     values={**values, "below": below})


def written(name: str, type_=Text):
    """A value written into the statement rather than sent beside it. The plan of these steps
    depends on the values (how rare the words are, how many ids): the driver prepares a
    statement it has seen a few times, and a prepared statement's generic plan, made without
    them, can scan an entire tenant (seconds instead of a millisecond)."""
    return bindparam(name, type_=type_, literal_execute=True)


CANDIDATES = text(
    f"WITH found AS MATERIALIZED (SELECT ticket_id FROM ticket_search "
    f"WHERE tenant_id = :search_tenant AND ticket_id < :below AND document @@ "
    f"({_TSQUERY} && CAST(:tenant_lexeme AS tsquery)) "
    f"AND numnode({_TSQUERY}) > 0 LIMIT :cap) "
    f"SELECT (SELECT count(*) FROM found), (SELECT string_agg(CAST(ticket_id AS "
    f"text), ',' ORDER BY ticket_id DESC) FROM (SELECT ticket_id FROM found "
    f"ORDER BY ticket_id DESC LIMIT :chunk) AS newest)").bindparams(
    written("search_tenant", BigInteger), written("below", BigInteger),
    written("search_q"), written("tenant_lexeme"), written("cap", Integer),
    written("chunk", Integer))
EXPECTED = text(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM ticket_search WHERE document @@ "
                f"({_TSQUERY} && CAST(:tenant_lexeme AS tsquery))").bindparams(
    written("search_q"), written("tenant_lexeme"))


# Every step is small: parallel workers and JIT compilation cost more to start (tens of
# milliseconds for JIT, which a generic plan's estimate of a whole tenant can trigger) than
# they save; for the rest of this transaction. The same round trip reads the tenant's size
# (its highest ticket number).
SETTLE = text("SELECT (SELECT max(number) FROM tickets WHERE tenant_id = :search_tenant), "
              "set_config('max_parallel_workers_per_gather', '0', true), "
              "set_config('jit', 'off', true)").bindparams(TENANT)
