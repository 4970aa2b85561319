"""SLA jobs: the periodic breach sweep over all tenants, and recomputing one tenant's
open tickets after its SLA settings change."""
from app import unit_of_work
from app.db_types import utcnow
from app.extensions import db
from app.jobs import platform_job, tenant_job
from app.sla import service
from app.tickets.models import Ticket
from tenants.context import platform_scope


@platform_job
def sweep_sla_breaches() -> int:
    """Flag every ticket that went past a due time (idempotent: flagged ones are skipped)."""
    now = utcnow()
    with platform_scope():  # PLATFORM-WIDE: find the tenants with overdue tickets
        tenant_ids = list(db.session.scalars(
            service.overdue(now).with_only_columns(Ticket.tenant_id).distinct()))
    return sum(unit_of_work.for_each_tenant(
        tenant_ids, lambda tenant_id: service.mark_breaches(now=now)))


@tenant_job
def recompute_tenant(tenant_id: int) -> int:
    """New due times for a tenant's open tickets (after its hours or targets changed)."""
    return service.recompute_open_tickets()
