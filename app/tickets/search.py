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

from sqlalchemy import Integer, column, select, text

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
