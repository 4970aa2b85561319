"""Full-text search over subjects and conversations.

PostgreSQL: ``tickets.search_vector`` (a tsvector of the subject, weighted up, and
the message bodies, each under the 'russian' and the 'english' configuration) with a
GIN index. SQLite (the embedded default): an FTS5 table keyed by ticket id. Either
is refreshed by ``reindex`` whenever a subject or the conversation changes.
"""
import re

from sqlalchemy import Integer, column, select, text

from app.extensions import db
from app.tickets.models import Message, Ticket

# Keep a ticket's document well under PostgreSQL's 1 MB tsvector limit.
MAX_INDEXED_CHARS = 200_000

_REINDEX_PG = text(f"""
    UPDATE tickets SET search_vector =
        setweight(to_tsvector('english', tickets.subject), 'A')
        || setweight(to_tsvector('russian', tickets.subject), 'A')
        || to_tsvector('english', left(coalesce(b.body, ''), {MAX_INDEXED_CHARS}))
        || to_tsvector('russian', left(coalesce(b.body, ''), {MAX_INDEXED_CHARS}))
    FROM (SELECT string_agg(body_text, ' ' ORDER BY id) AS body FROM messages
          WHERE tenant_id = :tenant_id AND ticket_id = :ticket_id) AS b
    WHERE tickets.tenant_id = :tenant_id AND tickets.id = :ticket_id
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
    """A WHERE clause: the ticket's subject or conversation matches ``q``."""
    if _dialect() == "postgresql":
        return text("tickets.search_vector @@ (websearch_to_tsquery('english', :search_q) "
                    "|| websearch_to_tsquery('russian', :search_q))").bindparams(search_q=q)
    query = fts5_query(q)
    if not query:
        return text("0 = 1")
    return Ticket.id.in_(
        text("SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH :search_q")
        .bindparams(search_q=query).columns(column("rowid", Integer))
    )
