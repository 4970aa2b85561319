"""Writing and reading the operator audit log (platform work: the platform connection)."""
from sqlalchemy import select

from app.audit.models import OperatorAction
from app.extensions import db
from app.telemetry.context import current_request_id
from tenants import context

SOURCES = ("console", "cli")


def record_action(action: str, *, source: str, tenant=None, reason: str = "",
                  details: dict | None = None) -> OperatorAction:
    """Append one operator action (``tenant.suspended``, ``billing.adjusted``,
    ``job.retried`` …) to the unit of work: it lands with the change it describes, or not at
    all. ``tenant`` is the Tenant acted on, if any. Only on the platform connection: the
    application role can neither write nor read this log."""
    if not context.on_platform_connection():
        raise context.TenantContextError("the operator audit log is platform work")
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    row = OperatorAction(action=action, source=source, reason=(reason or "")[:2000],
                         details=details or {}, request_id=current_request_id(),
                         subject_tenant_id=getattr(tenant, "id", None),
                         tenant_slug=getattr(tenant, "slug", None))
    db.session.add(row)
    return row


def recent_actions(*, tenant_id: int | None = None, limit: int = 100,
                   before_id: int | None = None) -> list[OperatorAction]:
    """The newest actions first, optionally of one tenant."""
    stmt = select(OperatorAction).order_by(OperatorAction.id.desc()).limit(limit)
    if tenant_id is not None:
        stmt = stmt.where(OperatorAction.subject_tenant_id == tenant_id)
    if before_id is not None:
        stmt = stmt.where(OperatorAction.id < before_id)
    return list(db.session.scalars(stmt))
