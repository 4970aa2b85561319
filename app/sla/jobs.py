"""SLA jobs: the periodic breach sweep over all tenants, and recomputing one tenant's
open tickets after its SLA settings change."""
from app.db_types import utcnow
from app.extensions import db
from app.jobs import platform_job, tenant_job
from app.sla import service
from app.tickets.models import Ticket
from tenants.context import platform_scope, tenant_scope


@platform_job
def sweep_sla_breaches() -> int:
    """Flag every ticket that went past a due time (idempotent: flagged ones are skipped)."""
    now = utcnow()
    with platform_scope():  # PLATFORM-WIDE: find the tenants with overdue tickets
        tenant_ids = list(db.session.scalars(
            service.overdue(now).with_only_columns(Ticket.tenant_id).distinct()))
    flagged = 0
    for tenant_id in tenant_ids:
        with tenant_scope(tenant_id):
            flagged += service.mark_breaches(now=now)
    return flagged


@tenant_job
def recompute_tenant(tenant_id: int) -> int:
    """New due times for a tenant's open tickets (after its hours or targets changed)."""
    return service.recompute_open_tickets()
