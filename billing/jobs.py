"""Periodic billing work for ``rq cron`` (declared in app/schedule.py)."""
from app import unit_of_work
from app.jobs import platform_job
from billing.charging import run_charge_day
from billing.limits import release_deferred
from billing.signals import tenants_with_deferred
from tenants import context


@platform_job
def charge_day_job() -> dict:
    """The daily charge for today (UTC); safe to run again."""
    result = run_charge_day()
    return {"day": result.day.isoformat(), "charged": result.charged,
            "suspended": len(result.suspended), "resumed": len(result.resumed)}


@context.platform_work
def release_all() -> int:
    """Release deferred tickets of every active tenant that has some, as far as each
    tenant's quota for its current day allows (days start at different hours across
    time zones, so this runs hourly)."""
    with context.platform_scope():  # PLATFORM-WIDE: finding tenants with waiting tickets
        tenant_ids = tenants_with_deferred()  # the ticket desk answers
    return sum(unit_of_work.for_each_tenant(tenant_ids, release_deferred))


@platform_job
def release_deferred_job() -> int:
    return release_all()
