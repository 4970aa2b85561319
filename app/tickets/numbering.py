"""Per-tenant ticket numbers, handed out by the database so concurrent creations never clash."""
from sqlalchemy import text

from app.extensions import db

# One statement on both PostgreSQL and SQLite (3.35+): the conflicting insert turns into an
# increment of the tenant's row, which stays locked until the transaction ends — so
# parallel creations queue on it and get consecutive numbers, never duplicates.
_NEXT = text(
    "INSERT INTO ticket_counters (tenant_id, last_number) VALUES (:tenant_id, 1) "
    "ON CONFLICT (tenant_id) DO UPDATE SET last_number = ticket_counters.last_number + 1 "
    "RETURNING last_number"
)


def next_ticket_number(tenant_id: int) -> int:
    """The next number for ``tenant_id`` (1, 2, 3 …), inside the caller's transaction.
    Nothing pending needs writing first: no autoflush (it goes out with the ticket)."""
    with db.session.no_autoflush:
        return int(db.session.execute(_NEXT, {"tenant_id": tenant_id}).scalar_one())
