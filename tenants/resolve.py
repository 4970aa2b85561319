"""Resolve a tenant from outside input (a slug, a widget key) before any context exists."""
from sqlalchemy import select

from app.extensions import db
from tenants import context
from tenants.models import Tenant


def tenant_by_slug(slug: str) -> Tenant | None:
    with context.platform_scope():  # PLATFORM-WIDE: resolving which tenant a URL names
        return db.session.scalar(select(Tenant).where(Tenant.slug == (slug or "").lower()))


def tenant_by_widget_key(key: str) -> Tenant | None:
    with context.platform_scope():  # PLATFORM-WIDE: resolving which tenant a widget key names
        return db.session.scalar(select(Tenant).where(Tenant.widget_key == key))


def current_tenant() -> Tenant | None:
    tenant_id = context.current_tenant_id()
    return db.session.get(Tenant, tenant_id) if tenant_id is not None else None
