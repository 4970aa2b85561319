"""Resolve a tenant from outside input (a slug, a widget key, a token) before any context
exists. The lookups answer a tenant id only; the caller sets the context and loads rows
under it. On PostgreSQL each is a SECURITY DEFINER function (``tenants/rls.py``
RESOLVERS), so the application role never reads another tenant's row to find its own."""
from flask import g, has_app_context
from sqlalchemy import inspect, select, table

from app.extensions import db
from tenants import context
from tenants.models import Tenant
from tenants.rls import RESOLVERS, entered, lookup_statement


def tenant_id_for(resolver: str, key: str) -> int | None:
    """The tenant id ``resolver`` (a RESOLVERS name) finds for ``key``, or None."""
    if not key:
        return None
    connection, statement, params = lookup_statement(db.session(), resolver)
    if connection.dialect.name == "postgresql":
        return connection.execute(statement, params | {"key": key}).scalar()
    # The embedded default has no row-level security; the Core statement skips the ORM guard.
    name, tenant_column, key_column = RESOLVERS[resolver]
    rows = table(name, *(db.column(c) for c in {tenant_column, key_column}))
    return connection.execute(select(rows.c[tenant_column])
                              .where(rows.c[key_column] == key).limit(1)).scalar()


def enter_tenant_for(resolver: str, key: str) -> int | None:
    """Find the tenant ``resolver`` names for ``key`` and enter it (``context.set_tenant``);
    the tenant id, or None (nothing entered). On PostgreSQL the lookup statement also sets
    the transaction's tenant, so entering it sends nothing more."""
    if not key:
        return None
    if context.current_tenant_id() is not None:  # set_tenant decides: same, or a bug
        tenant_id = tenant_id_for(resolver, key)
    else:
        session = db.session()
        connection, statement, params = lookup_statement(session, resolver, enter=True)
        if connection.dialect.name != "postgresql":
            tenant_id = tenant_id_for(resolver, key)
        else:
            tenant_id = connection.execute(statement, params | {"key": key}).scalar()
            if tenant_id is not None:
                entered(session, tenant_id)
    if tenant_id is not None:
        context.set_tenant(tenant_id)
    return tenant_id


def tenant_id_by_slug(slug: str) -> int | None:
    return tenant_id_for("tenant_by_slug", (slug or "").strip().lower())


def tenant_by_slug(slug: str) -> Tenant | None:
    """Enter the tenant a URL names and return it (None when there is no such tenant)."""
    if enter_tenant_for("tenant_by_slug", (slug or "").strip().lower()) is None:
        return None
    return current_tenant()


def tenant_row(tenant_id: int) -> Tenant | None:
    """The tenant's row, read once per request or job: the identity map would serve it
    again, but only while something holds it (it keeps rows weakly), so the context keeps
    it. A row detached by a change of scope (the identity map was emptied) is read anew."""
    if not has_app_context():
        return db.session.get(Tenant, tenant_id)
    held = g.get("_tenant_row")
    if held is not None:
        state = inspect(held)
        if state.session is db.session() and state.identity == (tenant_id,):
            return held
    tenant = db.session.get(Tenant, tenant_id)
    g._tenant_row = tenant
    return tenant


def keep_tenant_row(tenant: Tenant) -> None:
    """``tenant`` was loaded with something else (one statement for both): serve it to
    ``tenant_row`` for the rest of the request."""
    if has_app_context():
        g._tenant_row = tenant


def current_tenant() -> Tenant | None:
    tenant_id = context.current_tenant_id()
    return tenant_row(tenant_id) if tenant_id is not None else None
