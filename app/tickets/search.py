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

from sqlalchemy import Integer, Select, column, func, select, text

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


# Searching newest-first is either "walk the newest tickets and test each" (cheap for common
# words, hopeless for rare ones) or "ask the GIN index, then sort" (the reverse). The
# planner can't tell which from its statistics, so a page is found in two bounded steps:
# first among the newest SEARCH_WINDOW tickets below the starting point, then — only if
# that didn't fill the page — among the index's matches further down, newest first.
SEARCH_WINDOW = 10_000
MAX_CANDIDATES = 20_000
_CHUNK = 500


def _floor(cursor: int | None) -> int:
    """The id about SEARCH_WINDOW tickets below where the page starts (0: none)."""
    if cursor is None:
        top = db.session.scalar(select(func.max(Ticket.number)))
    else:
        top = db.session.scalar(select(Ticket.number).where(Ticket.id < cursor)
                                .order_by(Ticket.id.desc()).limit(1))
    if top is None or top <= SEARCH_WINDOW:
        return 0
    return db.session.scalar(select(Ticket.id).where(Ticket.number <= top - SEARCH_WINDOW)
                             .order_by(Ticket.number.desc()).limit(1)) or 0


def _older_matches(q: str, floor: int) -> list[int]:
    """Matching ids below ``floor`` from the GIN index. Each document carries its tenant's
    lexeme (``__t<id>``, which the text parser never produces: it splits on underscores),
    so the index itself drops other tenants' matches before any row is read."""
    tenant_id = context.current_tenant_id()
    ids = text("SELECT ticket_id FROM ticket_search WHERE tenant_id = :search_tenant "
               "AND ticket_id <= :floor AND document @@ ((websearch_to_tsquery('english', "
               ":search_q) || websearch_to_tsquery('russian', :search_q)) "
               "&& CAST(:tenant_lexeme AS tsquery)) LIMIT :cap")
    return list(db.session.scalars(ids, {"search_tenant": tenant_id, "floor": floor,
                                         "search_q": q, "tenant_lexeme": f"'__t{tenant_id}'",
                                         "cap": MAX_CANDIDATES + 1}))


def search_rows(stmt: Select, q: str, *, cursor: int | None, want: int) -> list[Ticket]:
    """Up to ``want`` tickets of ``stmt`` (which already holds the search condition and the
    cursor), newest first, in bounded work however common or rare the words are."""
    newest_first = Ticket.id.desc()
    if _dialect() != "postgresql":
        return list(db.session.scalars(stmt.order_by(newest_first).limit(want)))
    # Both steps are small and bounded; parallel workers would cost more to start (here,
    # milliseconds) than they save, and the planner can't see that through RLS estimates.
    db.session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
    floor = _floor(cursor)
    rows = list(db.session.scalars(stmt.where(Ticket.id > floor).order_by(newest_first)
                                   .limit(want)))
    if len(rows) >= want or floor == 0:
        return rows
    older = stmt.where(Ticket.id <= floor).order_by(newest_first)
    candidates = _older_matches(q, floor)
    if len(candidates) > MAX_CANDIDATES:  # so common that walking down is the better plan
        return rows + list(db.session.scalars(older.limit(want - len(rows))))
    candidates.sort(reverse=True)
    for start in range(0, len(candidates), _CHUNK):
        chunk = candidates[start:start + _CHUNK]
        rows += db.session.scalars(older.where(Ticket.id.in_(chunk))
                                   .limit(want - len(rows))).all()
        if len(rows) >= want:
            break
    return rows
