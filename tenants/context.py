"""The tenant context: which tenant the current request or job acts for.

A ContextVar, so web requests, RQ jobs and CLI commands share one mechanism.
No context means no tenant rows (the ORM guard and RLS both fail closed).
Platform-wide work opts out visibly with ``platform_scope()``.
"""
from contextlib import contextmanager
from contextvars import ContextVar

_tenant_id: ContextVar[int | None] = ContextVar("tenant_id", default=None)
_platform: ContextVar[bool] = ContextVar("platform_scope", default=False)


class TenantContextError(RuntimeError):
    """A tenant row was written outside its tenant's context."""


def current_tenant_id() -> int | None:
    return _tenant_id.get()


def in_platform_scope() -> bool:
    return _platform.get()


def _sync_database() -> None:
    """Push the context into the open database transaction (RLS reads it)."""
    from tenants.rls import apply_to_session

    apply_to_session()


def set_tenant(tenant_id: int | None) -> None:
    """Set the tenant for the rest of this request (reset in teardown)."""
    _tenant_id.set(tenant_id)
    _sync_database()


@contextmanager
def tenant_scope(tenant_id: int):
    """Act as ``tenant_id`` inside the block (jobs, CLI, tests)."""
    token = _tenant_id.set(tenant_id)
    platform = _platform.set(False)
    _sync_database()
    try:
        yield
    finally:
        _platform.reset(platform)
        _tenant_id.reset(token)
        _sync_database()


@contextmanager
def platform_scope():
    """PLATFORM-WIDE: lift tenant scoping for the block.

    Only for work that is by nature across tenants: token and login lookups,
    daily billing, operator tools. Grep for ``platform_scope`` to audit them.
    """
    token = _platform.set(True)
    _sync_database()
    try:
        yield
    finally:
        _platform.reset(token)
        _sync_database()


def clear() -> None:
    _tenant_id.set(None)
    _platform.set(False)
