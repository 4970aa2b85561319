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

from sqlalchemy import select, text

from app.extensions import db
from app.tickets.models import Message, Ticket
from app.tickets.rows import TicketRow
from app.tickets.search_steps import (
    CANDIDATES,
    EXPECTED,
    SETTLE,
    WINDOW_END,
    Source,
    matching,
)
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
    dialect = _dialect()
    if dialect != "postgresql":
        q = fts5_query(q)
        if not q:
            return text("0 = 1")
    return matching(dialect, search_q=q, search_tenant=tenant_id)


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
# Each step is a condition added to the list's own statement, which a ``Source`` runs (see
# ``app.tickets.search_steps``).
SEARCH_WINDOW = 5_000
LARGE_TENANT = 20_000
MAX_CANDIDATES = 20_000
MAX_WINDOWS = 20
_CHUNK = 500
_NO_BOUND = 2**62


def _candidates(q: str, below: int | None) -> tuple[int, list[int]]:
    """How many documents below ``below`` match (counted up to MAX_CANDIDATES + 1) and the
    newest _CHUNK of their ids, from the GIN index. Each document carries its tenant's lexeme
    (``__t<id>``, which the text parser never makes: it splits on underscores), so the index
    drops other tenants' matches itself (a query of stop words alone, which has no lexeme
    and matches nothing anywhere else, must not become the tenant lexeme alone). The ids
    travel as one comma-separated text (the driver converts an array element by element,
    which cost more than the query)."""
    tenant_id = context.current_tenant_id()
    count, newest = db.session.execute(CANDIDATES, {
        "search_tenant": tenant_id, "below": below if below is not None else _NO_BOUND,
        "search_q": q, "tenant_lexeme": f"'__t{tenant_id}'", "cap": MAX_CANDIDATES + 1,
        "chunk": _CHUNK}).one()
    return count, [int(i) for i in newest.split(",")] if newest else []


def _expected(q: str) -> float:
    """How many of the tenant's documents the planner expects to match ``q``: its own
    statistics of ``ticket_search`` (no row-level security there to hide them). A window of
    newest tickets pays off only for words it expects in a page's worth of any window; rarer
    ones (an order number, several words at once) go to the GIN index first. The words are
    written into the statement so that they, not a generic guess, are estimated."""
    plan = db.session.execute(EXPECTED, {
        "search_q": q, "tenant_lexeme": f"'__t{context.current_tenant_id()}'"}).scalar()
    plan = plan if isinstance(plan, list) else json.loads(plan)
    return float(plan[0]["Plan"]["Plan Rows"])


def _window_end(values: dict) -> int | None:
    """Where the next window starts: the SEARCH_WINDOW-th id below ``window_below``, or
    None when the window held the tenant's oldest ticket. The tenant is named in the
    statement, which runs as it is on the session's connection."""
    return db.session.connection().execute(
        WINDOW_END, {**values, "window_last": SEARCH_WINDOW - 1}).scalar()


def _walk(source: Source, values: dict, rows: list, below: int | None, want: int,
          windows: int) -> tuple[int | None, bool]:
    """Walk up to ``windows`` windows of newest tickets, adding the matching tickets of
    the source to ``rows``; returns (where it stopped, done)."""
    for _ in range(windows):
        values["window_below"] = below if below is not None else _NO_BOUND
        rows += source.rows("window", below=below, limit=want - len(rows), values=values)
        if len(rows) >= want:
            return below, True
        end = _window_end(values)
        if end is None:  # that window reached the tenant's oldest ticket
            return below, True
        below = end
    return below, False


def search_rows(source: Source, q: str, *, cursor: int | None,
                want: int) -> list[TicketRow]:
    """Up to ``want`` tickets of ``source`` matching ``q`` below ``cursor`` (which the
    source's statement holds), newest first, in bounded steps however common or rare the
    words are."""
    tenant_id = context.current_tenant_id()
    if tenant_id is None:
        return []  # fail closed, like the ORM guard
    values = {"search_q": q, "search_tenant": tenant_id, "window": SEARCH_WINDOW}
    if _dialect() != "postgresql":
        values["search_q"] = fts5_query(q)
        if not values["search_q"]:
            return []
        return source.rows("matches", below=None, limit=want, values=values)
    size = db.session.execute(SETTLE, {"search_tenant": tenant_id}).scalar() or 0
    rows: list[TicketRow] = []
    below = cursor
    if size > LARGE_TENANT and _expected(q) * SEARCH_WINDOW >= want * size:
        below, done = _walk(source, values, rows, below, want, windows=1)
        if done:
            return rows
    count, newest = _candidates(q, below)
    if count <= MAX_CANDIDATES:
        while newest:
            rows += source.rows("among", below=None, limit=want - len(rows),
                                values={**values, "search_ids": ",".join(map(str, newest))})
            if len(rows) >= want or len(newest) < _CHUNK:
                break
            _count, newest = _candidates(q, newest[-1])
        return rows
    below, done = _walk(source, values, rows, below, want, windows=MAX_WINDOWS)
    if not done:  # a very common word that the filters nearly all hide: scan on
        rows += source.rows("matches", below=below, limit=want - len(rows), values=values)
    return rows
