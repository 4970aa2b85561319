"""Periodic billing work for ``rq cron`` (declared in app/jobs/schedule.py)."""
from sqlalchemy import select

from app import unit_of_work
from app.extensions import db
from app.jobs import platform_job
from billing.limits import _ticket_model, release_deferred
from tenants import context
from tenants.models import Tenant


@platform_job
def charge_day_job() -> dict:
    """The daily charge for today (UTC); safe to run again."""
    from billing.charging import run_charge_day

    result = run_charge_day()
    return {"day": result.day.isoformat(), "charged": result.charged,
            "suspended": len(result.suspended), "resumed": len(result.resumed)}


@context.platform_work
def release_all() -> int:
    """Release deferred tickets of every active tenant that has some, as far as each
    tenant's quota for its current day allows (days start at different hours across
    time zones, so this runs hourly)."""
    Ticket = _ticket_model()
    if Ticket is None:
        return 0
    with context.platform_scope():  # PLATFORM-WIDE: finding tenants with waiting tickets
        tenant_ids = list(db.session.scalars(
            select(Ticket.tenant_id).join(Tenant, Tenant.id == Ticket.tenant_id)
            .where(Ticket.deferred, Ticket.deleted_at.is_(None), Tenant.suspended_at.is_(None))
            .distinct()))
    return sum(unit_of_work.for_each_tenant(tenant_ids, release_deferred))


@platform_job
def release_deferred_job() -> int:
    return release_all()
