"""Full-text search over subjects and conversations.

PostgreSQL: ``ticket_search.document`` (a tsvector of the subject, weighted up, and
the message bodies, each under the 'russian' and the 'english' configuration) with a
GIN index, in a side table so the index is usable under row-level security (see the
migration 0002 for why). SQLite (the embedded default): an FTS5 table keyed by ticket
id. Either is refreshed by ``reindex`` whenever a subject or the conversation changes.
Searches name the tenant explicitly and only select ids for a query on ``tickets``,
which the ORM guard and RLS keep to the current tenant.
"""
import re

from sqlalchemy import BigInteger, Integer, Select, column, func, literal, select, text, tuple_

from app.extensions import db
from app.tickets.models import Message, Ticket
from tenants import context

# Keep a ticket's document well under PostgreSQL's 1 MB tsvector limit.
MAX_INDEXED_CHARS = 200_000

_REINDEX_PG = text(f"""
    INSERT INTO ticket_search (ticket_id, tenant_id, document)
    SELECT tickets.id, tickets.tenant_id,
        setweight(to_tsvector('english', tickets.subject), 'A')
        || setweight(to_tsvector('russian', tickets.subject), 'A')
        || to_tsvector('english', left(coalesce(b.body, ''), {MAX_INDEXED_CHARS}))
        || to_tsvector('russian', left(coalesce(b.body, ''), {MAX_INDEXED_CHARS}))
        || array_to_tsvector(ARRAY['__t' || tickets.tenant_id])
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
# bounded steps, each an index lookup the planner can't turn into a scan of everything:
#   - a large tenant first tests its newest SEARCH_WINDOW tickets (ids from its own index,
#     documents by primary key);
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


def _window_ids(below: int | None) -> list[int]:
    """The tenant's next SEARCH_WINDOW ticket ids below ``below``, newest first. The row
    comparison on (tenant_id, id) keeps the walk on the tenant's own index."""
    tenant = literal(context.current_tenant_id(), BigInteger)
    bound = literal(below if below is not None else 2**62, BigInteger)
    return list(db.session.scalars(
        select(Ticket.id).where(tuple_(Ticket.tenant_id, Ticket.id) < tuple_(tenant, bound))
        .order_by(Ticket.tenant_id.desc(), Ticket.id.desc()).limit(SEARCH_WINDOW)))


def _matching(q: str, ids: list[int]) -> list[int]:
    found = text(f"SELECT ticket_id FROM ticket_search WHERE tenant_id = :search_tenant AND "
                 f"ticket_id = ANY(CAST(:ids AS bigint[])) AND document @@ {_TSQUERY}")
    return sorted(db.session.scalars(found, {"search_tenant": context.current_tenant_id(),
                                             "ids": ids, "search_q": q}), reverse=True)


def _candidates(q: str, below: int | None) -> list[int]:
    """Matching ids (below ``below``) from the GIN index, at most MAX_CANDIDATES + 1. Each
    document carries its tenant's lexeme (``__t<id>``, which the text parser never makes:
    it splits on underscores), so the index drops other tenants' matches itself."""
    tenant_id = context.current_tenant_id()
    found = text(f"SELECT ticket_id FROM ticket_search WHERE tenant_id = :search_tenant "
                 f"AND ticket_id < :below AND document @@ ({_TSQUERY} "
                 f"&& CAST(:tenant_lexeme AS tsquery)) LIMIT :cap")
    return list(db.session.scalars(found, {
        "search_tenant": tenant_id, "below": below if below is not None else 2**62,
        "search_q": q, "tenant_lexeme": f"'__t{tenant_id}'", "cap": MAX_CANDIDATES + 1}))


def _fetch(base: Select, ids: list[int], rows: list, want: int) -> None:
    """Add the tickets of ``base`` among ``ids`` (newest first) to ``rows``, up to ``want``."""
    ids = sorted(ids, reverse=True)
    for start in range(0, len(ids), _CHUNK):
        if len(rows) >= want:
            return
        rows += db.session.scalars(base.where(Ticket.id.in_(ids[start:start + _CHUNK]))
                                   .order_by(Ticket.id.desc()).limit(want - len(rows))).all()


def _walk(base: Select, q: str, rows: list, below: int | None, want: int,
          windows: int) -> tuple[int | None, bool]:
    """Test up to ``windows`` windows of newest tickets; returns (where it stopped, done)."""
    for _ in range(windows):
        ids = _window_ids(below)
        if ids:
            _fetch(base, _matching(q, ids), rows, want)
        if len(rows) >= want or len(ids) < SEARCH_WINDOW:
            return below, True
        below = ids[-1]
    return below, False


def search_rows(stmt: Select, q: str, clause, *, cursor: int | None,
                want: int) -> list[Ticket]:
    """Up to ``want`` tickets of ``stmt`` (which holds the search ``clause`` and the cursor),
    newest first, in bounded steps however common or rare the words are."""
    if _dialect() != "postgresql":
        return list(db.session.scalars(stmt.order_by(Ticket.id.desc()).limit(want)))
    # Every step is small; parallel workers cost more to start (milliseconds) than they save.
    db.session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
    base = without(stmt, clause)
    rows: list[Ticket] = []
    below = cursor
    if (db.session.scalar(select(func.max(Ticket.number))) or 0) > LARGE_TENANT:
        below, done = _walk(base, q, rows, below, want, windows=1)
        if done:
            return rows
    candidates = _candidates(q, below)
    if len(candidates) <= MAX_CANDIDATES:
        _fetch(base, candidates, rows, want)
        return rows
    below, done = _walk(base, q, rows, below, want, windows=MAX_WINDOWS)
    if not done:  # a very common word that the filters nearly all hide: scan on
        rest = stmt if below is None else stmt.where(Ticket.id < below)
        rows += db.session.scalars(rest.order_by(Ticket.id.desc())
                                   .limit(want - len(rows))).all()
    return rows
