"""The tenant context's current values: which tenant, platform scope, platform connection.

``tenants.context`` changes them (and pushes each change into the open transaction through
``tenants.rls``); this module only holds and reads them, so that ``rls``, which reads them
for every transaction's settings, need not import ``context``. Everyone else reads them
through ``tenants.context``.
"""
from contextvars import ContextVar

tenant_id: ContextVar[int | None] = ContextVar("tenant_id", default=None)
platform: ContextVar[bool] = ContextVar("platform_scope", default=False)
platform_connection: ContextVar[bool] = ContextVar("platform_connection", default=False)


def current_tenant_id() -> int | None:
    return tenant_id.get()


def in_platform_scope() -> bool:
    return platform.get()


def on_platform_connection() -> bool:
    return platform_connection.get()
