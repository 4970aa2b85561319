"""Periodic knowledge-base work for ``rq cron`` (declared in app/schedule.py)."""
from app import unit_of_work
from app.jobs import platform_job
from app.kb.popularity import flush_tenant, tenants_to_flush


@platform_job
def flush_views_job() -> int:
    """Add the page views counted in Redis to the articles, tenant by tenant (one commit
    each); returns how many views were added. Idempotent."""
    return sum(unit_of_work.for_each_tenant(tenants_to_flush(), flush_tenant))
