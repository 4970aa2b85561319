"""Full-text search over subjects and conversations.

PostgreSQL: ``ticket_search.document`` (a tsvector of the subject, weighted up, and
the message bodies, each under the 'russian' and the 'english' configuration) with a
GIN index, in a side table so the index is usable under row-level security (see the
migration 0002 for why). SQLite (the embedded default): an FTS5 table keyed by ticket
id. Either is refreshed by ``reindex`` whenever a subject or the conversation changes.
Searches name the tenant explicitly and only select ids for a query on ``tickets``,
which the ORM guard and RLS keep to the current tenant.
"""
import json
import re

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
    literal,
    literal_column,
    select,
    text,
    tuple_,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import aliased

from app.extensions import db
from app.tickets.models import Message, Ticket
from app.tickets.rows import TicketRow, fetch
from tenants import context

# Keep a ticket's document well under PostgreSQL's 1 MB tsvector limit.
MAX_INDEXED_CHARS = 200_000


def document_sql(subject: str, body: str, tenant_id: str) -> str:
    """The SQL of a ticket's search document from three SQL expressions: its subject, its
    conversation's text and its tenant id (shared by ``reindex`` and the write of a new
    ticket, so the two build the same document)."""
    return (f"setweight(to_tsvector('english', {subject}), 'A') "
            f"|| setweight(to_tsvector('russian', {subject}), 'A') "
            f"|| to_tsvector('english', left(coalesce({body}, ''), {MAX_INDEXED_CHARS})) "
            f"|| to_tsvector('russian', left(coalesce({body}, ''), {MAX_INDEXED_CHARS})) "
            f"|| array_to_tsvector(ARRAY['__t' || {tenant_id}])")


_REINDEX_PG = text(f"""
    INSERT INTO ticket_search (ticket_id, tenant_id, document)
    SELECT tickets.id, tickets.tenant_id,
        {document_sql("tickets.subject", "b.body", "tickets.tenant_id")}
    FROM tickets, (SELECT string_agg(body_text, ' ' ORDER BY id) AS body FROM messages
                   WHERE tenant_id = :tenant_id AND ticket_id = :ticket_id) AS b
    WHERE tickets.tenant_id = :tenant_id AND tickets.id = :ticket_id
    ON CONFLICT (ticket_id) DO UPDATE SET document = excluded.document
""")


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def reindex(ticket: Ticket) -> None:
    """Refresh ``ticket``'s search document (call after subject or messages change)."""
    db.session.flush()
    params = {"tenant_id": ticket.tenant_id, "ticket_id": ticket.id}
    if _dialect() == "postgresql":
        db.session.execute(_REINDEX_PG, params)
        return
    bodies = db.session.scalars(select(Message.body_text).where(Message.ticket_id == ticket.id)
                                .order_by(Message.id)).all()
    document = (ticket.subject + "\n" + "\n".join(bodies))[:MAX_INDEXED_CHARS]
    db.session.execute(text("DELETE FROM tickets_fts WHERE rowid = :ticket_id"), params)
    db.session.execute(text("INSERT INTO tickets_fts (rowid, body, tenant_id) "
                            "VALUES (:ticket_id, :body, :tenant_id)"),
                       params | {"body": document})


def fts5_query(q: str) -> str:
    """Words as quoted FTS5 terms (all must match; the last one as a prefix while typing)."""
    words = re.findall(r"\w+", q)
    return " ".join(f'"{w}"' for w in words[:-1]) + (f' "{words[-1]}"*' if words else "")


def matches(q: str):
    """A WHERE clause on tickets: the subject or conversation matches ``q``."""
    tenant_id = context.current_tenant_id()
    if tenant_id is None:
        return text("0 = 1")  # fail closed, like the ORM guard
    if _dialect() == "postgresql":
        ids = text("SELECT ticket_id FROM ticket_search WHERE tenant_id = :search_tenant AND "
                   "document @@ (websearch_to_tsquery('english', :search_q) "
                   "|| websearch_to_tsquery('russian', :search_q))")
    else:
        q = fts5_query(q)
        if not q:
            return text("0 = 1")
        ids = text("SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH :search_q "
                   "AND tenant_id = :search_tenant")
    return Ticket.id.in_(ids.bindparams(search_q=q, search_tenant=tenant_id)
                         .columns(column("ticket_id", Integer)))


# Searching newest-first is either "walk the newest tickets and test each" (cheap for
# common words, hopeless for rare ones) or "ask the GIN index, then sort" (the reverse), and
# through row-level security the planner can't tell which. So a page is found in explicit,
# bounded steps, each one statement the planner can't turn into a scan of everything, and
# none of them ships a list of ids to the application and back:
#   - for a large tenant, the planner's estimate of the words on ``ticket_search`` (which it
#     can see: no row-level security there) tells whether a window of newest tickets is
#     likely to hold a page of matches; if so it walks its newest SEARCH_WINDOW tickets
#     newest first, testing each ticket's own document (by primary key) as it goes, and
#     stops as soon as the page is full — a common word costs a page's worth of rows;
#   - then the GIN index lists the matches further down — narrowed to the tenant inside the
#     index by the tenant lexeme — and the newest of them are fetched by primary key;
#   - words too common for that list (with filters that hide most matches) go on window by
#     window.
SEARCH_WINDOW = 5_000
LARGE_TENANT = 20_000
MAX_CANDIDATES = 20_000
MAX_WINDOWS = 20
_CHUNK = 500
_TSQUERY = ("(websearch_to_tsquery('english', :search_q) "
            "|| websearch_to_tsquery('russian', :search_q))")


def without(stmt: Select, clause) -> Select:
    """``stmt`` minus one of its WHERE conditions (no public API for that)."""
    if clause is None or clause not in stmt._where_criteria:
        return stmt
    base = stmt._generate()
    base._where_criteria = tuple(c for c in stmt._where_criteria if c is not clause)
    return base


def _document_matches(q: str):
    """A condition on tickets: the ticket's own document matches ``q``. A scalar subquery,
    which PostgreSQL evaluates row by row as the walk reaches each ticket (it never turns
    one into a join or a scan of the GIN index). The query itself is parsed once (its own
    subquery): a prepared statement's generic plan would otherwise parse it for every row."""
    return text(f"(SELECT document @@ (SELECT {_TSQUERY}) FROM ticket_search WHERE "
                f"tenant_id = :search_tenant AND ticket_id = tickets.id)").bindparams(
        search_q=q, search_tenant=context.current_tenant_id())


def _window(below: int | None) -> Select:
    """The tenant's newest SEARCH_WINDOW ticket ids below ``below``, newest first. The row
    comparison on (tenant_id, id) keeps the walk on the tenant's own index."""
    walked = aliased(Ticket)
    tenant = literal(context.current_tenant_id(), BigInteger)
    bound = literal(below if below is not None else 2**62, BigInteger)
    return (select(walked.id).where(tuple_(walked.tenant_id, walked.id) < tuple_(tenant, bound))
            .order_by(walked.tenant_id.desc(), walked.id.desc()).limit(SEARCH_WINDOW))


def _window_start(below: int | None):
    """The lowest id of the window below ``below`` (NULL when no ticket is left)."""
    ids = _window(below).subquery()
    return select(func.min(ids.c.id)).scalar_subquery()


def _window_end(below: int | None) -> int | None:
    """Where the next window starts: the SEARCH_WINDOW-th id below ``below``, or None when
    the window below ``below`` held the tenant's oldest ticket."""
    return db.session.scalar(_window(below).offset(SEARCH_WINDOW - 1).limit(1))


def _written(name: str, type_=Text):
    """A value written into the statement rather than sent beside it. The plan of these steps
    depends on the values (how rare the words are, how many ids): the driver prepares a
    statement it has seen a few times, and a prepared statement's generic plan, made without
    them, can scan an entire tenant (seconds instead of a millisecond)."""
    return bindparam(name, type_=type_, literal_execute=True)


def _candidates(q: str, below: int | None) -> tuple[int, list[int]]:
    """How many documents below ``below`` match (counted up to MAX_CANDIDATES + 1) and the
    newest _CHUNK of their ids, from the GIN index. Each document carries its tenant's lexeme
    (``__t<id>``, which the text parser never makes: it splits on underscores), so the index
    drops other tenants' matches itself (a query of stop words alone, which has no lexeme
    and matches nothing anywhere else, must not become the tenant lexeme alone). The ids
    travel as one comma-separated text (the driver converts an array element by element,
    which cost more than the query)."""
    tenant_id = context.current_tenant_id()
    found = text(f"WITH found AS MATERIALIZED (SELECT ticket_id FROM ticket_search "
                 f"WHERE tenant_id = :search_tenant AND ticket_id < :below AND document @@ "
                 f"({_TSQUERY} && CAST(:tenant_lexeme AS tsquery)) "
                 f"AND numnode({_TSQUERY}) > 0 LIMIT :cap) "
                 f"SELECT (SELECT count(*) FROM found), (SELECT string_agg(CAST(ticket_id AS "
                 f"text), ',' ORDER BY ticket_id DESC) FROM (SELECT ticket_id FROM found "
                 f"ORDER BY ticket_id DESC LIMIT :chunk) AS newest)").bindparams(
        _written("search_tenant", BigInteger), _written("below", BigInteger),
        _written("search_q"), _written("tenant_lexeme"), _written("cap", Integer),
        _written("chunk", Integer))
    count, newest = db.session.execute(found, {
        "search_tenant": tenant_id, "below": below if below is not None else 2**62,
        "search_q": q, "tenant_lexeme": f"'__t{tenant_id}'", "cap": MAX_CANDIDATES + 1,
        "chunk": _CHUNK}).one()
    return count, [int(i) for i in newest.split(",")] if newest else []


def _among(ids: list[int]):
    """A condition on tickets: the id is one of ``ids`` (written into the statement as one
    text value)."""
    listed = func.string_to_array(bindparam("search_ids", ",".join(map(str, ids)), type_=Text,
                                            literal_execute=True), literal_column("','"))
    return Ticket.id == any_(cast(listed, ARRAY(BigInteger)))


def _expected(q: str) -> float:
    """How many of the tenant's documents the planner expects to match ``q``: its own
    statistics of ``ticket_search`` (no row-level security there to hide them). A window of
    newest tickets pays off only for words it expects in a page's worth of any window; rarer
    ones (an order number, several words at once) go to the GIN index first. The words are
    written into the statement so that they, not a generic guess, are estimated."""
    plan = db.session.execute(text(
        f"EXPLAIN (FORMAT JSON) SELECT 1 FROM ticket_search WHERE document @@ "
        f"({_TSQUERY} && CAST(:tenant_lexeme AS tsquery))").bindparams(
        _written("search_q"), _written("tenant_lexeme")),
        {"search_q": q, "tenant_lexeme": f"'__t{context.current_tenant_id()}'"}).scalar()
    plan = plan if isinstance(plan, list) else json.loads(plan)
    return float(plan[0]["Plan"]["Plan Rows"])


def _walk(base: Select, q: str, rows: list, below: int | None, want: int,
          windows: int) -> tuple[int | None, bool]:
    """Walk up to ``windows`` windows of newest tickets, adding the matching tickets of
    ``base`` to ``rows``; returns (where it stopped, done)."""
    for _ in range(windows):
        window = base.where(Ticket.id >= _window_start(below), _document_matches(q))
        if below is not None:
            window = window.where(Ticket.id < below)
        rows += fetch(window, limit=want - len(rows))
        if len(rows) >= want:
            return below, True
        end = _window_end(below)
        if end is None:  # that window reached the tenant's oldest ticket
            return below, True
        below = end
    return below, False


def search_rows(stmt: Select, q: str, clause, *, cursor: int | None,
                want: int) -> list[TicketRow]:
    """Up to ``want`` tickets of ``stmt`` (which holds the search ``clause`` and the cursor),
    newest first, in bounded steps however common or rare the words are."""
    if _dialect() != "postgresql":
        return fetch(stmt, limit=want)
    # Every step is small: parallel workers and JIT compilation cost more to start (tens of
    # milliseconds for JIT, which a generic plan's estimate of a whole tenant can trigger)
    # than they save. For the rest of this transaction.
    db.session.execute(text("SELECT set_config('max_parallel_workers_per_gather', '0', true), "
                            "set_config('jit', 'off', true)"))
    base = without(stmt, clause)
    rows: list[TicketRow] = []
    below = cursor
    size = db.session.scalar(select(func.max(Ticket.number))) or 0
    if size > LARGE_TENANT and _expected(q) * SEARCH_WINDOW >= want * size:
        below, done = _walk(base, q, rows, below, want, windows=1)
        if done:
            return rows
    count, newest = _candidates(q, below)
    if count <= MAX_CANDIDATES:
        while newest:
            rows += fetch(base.where(_among(newest)), limit=want - len(rows))
            if len(rows) >= want or len(newest) < _CHUNK:
                break
            _count, newest = _candidates(q, newest[-1])
        return rows
    below, done = _walk(base, q, rows, below, want, windows=MAX_WINDOWS)
    if not done:  # a very common word that the filters nearly all hide: scan on
        rest = stmt if below is None else stmt.where(Ticket.id < below)
        rows += fetch(rest, limit=want - len(rows))
    return rows
