"""After SLA settings change, open tickets get new due times — in a job, since a tenant
may have many of them."""
from app.jobs import enqueue
from app.sla.jobs import recompute_tenant
from tenants.context import current_tenant_id


def settings_changed() -> None:
    enqueue(recompute_tenant, current_tenant_id())
