"""Resolve a tenant from outside input (a slug, a widget key, a token) before any context
exists. The lookups answer a tenant id only; the caller sets the context and loads rows
under it. On PostgreSQL each is a SECURITY DEFINER function (``tenants/rls.py``
RESOLVERS), so the application role never reads another tenant's row to find its own."""
from sqlalchemy import select, table, text

from app.extensions import db
from tenants import context
from tenants.models import Tenant
from tenants.rls import RESOLVERS


def tenant_id_for(resolver: str, key: str) -> int | None:
    """The tenant id ``resolver`` (a RESOLVERS name) finds for ``key``, or None."""
    if not key:
        return None
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        return connection.execute(text(f"SELECT hd_{resolver}(:key)"), {"key": key}).scalar()
    # The embedded default has no row-level security; the Core statement skips the ORM guard.
    name, tenant_column, key_column = RESOLVERS[resolver]
    rows = table(name, *(db.column(c) for c in {tenant_column, key_column}))
    return connection.execute(select(rows.c[tenant_column])
                              .where(rows.c[key_column] == key).limit(1)).scalar()


def tenant_id_by_slug(slug: str) -> int | None:
    return tenant_id_for("tenant_by_slug", (slug or "").strip().lower())


def tenant_by_slug(slug: str) -> Tenant | None:
    """Enter the tenant a URL names and return it (None when there is no such tenant)."""
    tenant_id = tenant_id_by_slug(slug)
    if tenant_id is None:
        return None
    context.set_tenant(tenant_id)
    return current_tenant()


def current_tenant() -> Tenant | None:
    tenant_id = context.current_tenant_id()
    return db.session.get(Tenant, tenant_id) if tenant_id is not None else None
