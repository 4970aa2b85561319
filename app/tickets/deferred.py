"""Deferred tickets as billing's daily quota sees them: billing (below the desk) asks through
``billing.signals``, and these receivers answer (connected in ``app.tickets.wiring``)."""
from sqlalchemy import func, select

from app.extensions import db
from app.tickets.housekeeping import release_deferred
from app.tickets.models import Ticket
from tenants.models import Tenant


def count_waiting(_app, *, tenant_id: int) -> int:
    """Receiver of ``deferred_counting``: the tenant's deferred tickets (trashed ones, spam,
    don't wait for a place in the quota)."""
    return db.session.scalar(select(func.count()).select_from(Ticket).where(
        Ticket.tenant_id == tenant_id, Ticket.deferred, Ticket.deleted_at.is_(None)))


def tenants_waiting(_app) -> list[int]:
    """Receiver of ``deferred_finding`` (sent in platform scope): tenants, not suspended,
    with deferred tickets."""
    return list(db.session.scalars(
        select(Ticket.tenant_id).join(Tenant, Tenant.id == Ticket.tenant_id)
        .where(Ticket.deferred, Ticket.deleted_at.is_(None), Tenant.suspended_at.is_(None))
        .distinct()))


def release_waiting(_app, *, tenant_id: int, limit: int) -> int:
    """Receiver of ``deferred_releasing``: the desk's own ``release_deferred`` (events, SLA
    clocks), for the current tenant."""
    return len(release_deferred(limit=limit))
