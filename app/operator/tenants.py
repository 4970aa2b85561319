"""The operator's service functions on tenants: find, describe, adjust, suspend, resume.

Each records itself in the platform's audit log (``source`` says console or command) and
in the tenant's own event log where the tenant should see it (billing does that part).
They run on the platform connection in platform scope; a tenant's own figures are read
inside its scope, through the same functions its pages use.
"""
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from app.audit.service import record_action
from app.errors import NotFound
from app.extensions import db
from app.mailbox.models import Mailbox
from billing.ledger import adjust_balance
from billing.suspension import hold, release_hold, resume_if_covered
from tenants import context
from tenants.models import Tenant
from tenants.signals import describe

OPERATOR = {"type": "operator", "name": "operator"}


def find_tenants(query: str = "", *, limit: int = 200) -> list[Tenant]:
    """Newest first; ``query`` matches the address or the company name (any case)."""
    stmt = select(Tenant).order_by(Tenant.id.desc()).limit(limit)
    query = (query or "").strip().lower()
    if query:
        pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(or_(Tenant.slug.like(pattern, escape="\\"),
                              func.lower(Tenant.name).like(pattern, escape="\\")))
    return list(db.session.scalars(stmt))


def tenant_by_slug(slug: str) -> Tenant:
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == (slug or "").strip().lower()))
    if tenant is None:
        raise NotFound(_("No tenant with this address."))
    return tenant


def overview(tenant: Tenant) -> dict:
    """What the tenant's own ``GET /api/v1/tenant`` says of it (limits, usage, add-ons and
    whatever other areas report, e.g. a mailbox), read inside its scope."""
    out: dict = {}
    with context.tenant_scope(tenant.id):
        describe(db.session.get(Tenant, tenant.id), out)
        mailbox = db.session.scalar(select(Mailbox).limit(1))
        if mailbox is not None:
            out["mailbox"] = {"email": mailbox.email, "status": mailbox.status,
                              "last_sync_at": mailbox.last_sync_at, "failed": mailbox.failures,
                              "last_error": mailbox.last_error}
    return out


def mailbox_states(tenant_ids: list[int]) -> dict[int, str]:
    """Each listed tenant's mailbox status (connected, needs_reconnect …), if it has one."""
    if not tenant_ids:
        return {}
    return dict(db.session.execute(select(Mailbox.tenant_id, Mailbox.status).where(
        Mailbox.tenant_id.in_(tenant_ids))).all())


def adjust(slug: str, amount: int | None, reason: str, *, source: str):
    """Credit or debit a tenant with a reason (in its ledger and event log); a credit that
    pays today resumes a tenant suspended for its balance."""
    tenant = tenant_by_slug(slug)
    tenant_id = tenant.id
    entry = adjust_balance(actor="operator", tenant_id=tenant_id, amount=amount or 0,
                           reason=reason)
    resumed = False
    if amount and amount > 0:
        with context.tenant_scope(tenant_id):
            resumed = resume_if_covered(tenant_id, actor=OPERATOR)
    tenant = db.session.get(Tenant, tenant_id)
    record_action("billing.adjusted", source=source, tenant=tenant, reason=reason,
                  details={"amount": amount, "balance_after": entry.balance_after,
                           "resumed": resumed})
    return entry, resumed


def suspend(slug: str, reason: str, *, source: str) -> bool:
    """Hold the tenant until the operator resumes it. False: it was already held."""
    tenant = tenant_by_slug(slug)
    tenant_id = tenant.id
    with context.tenant_scope(tenant_id):
        changed = hold(tenant_id, actor=OPERATOR, reason=reason)
    if changed:
        record_action("tenant.suspended", source=source,
                      tenant=db.session.get(Tenant, tenant_id), reason=reason)
    return changed


def resume(slug: str, reason: str = "", *, source: str) -> bool:
    """Lift the operator's hold; the tenant is active again if its balance pays today
    (returned), else it stays suspended for its balance, like any tenant."""
    tenant = tenant_by_slug(slug)
    tenant_id = tenant.id
    with context.tenant_scope(tenant_id):
        active = release_hold(tenant_id, actor=OPERATOR)
    record_action("tenant.resumed", source=source, tenant=db.session.get(Tenant, tenant_id),
                  reason=reason, details={"active": active})
    return active
