"""The tenant context: which tenant the current request or job acts for.

A ContextVar, so web requests, RQ jobs and CLI commands share one mechanism.
No context means no tenant rows (the ORM guard and RLS both fail closed).

Three rules keep it honest:
- a request sets its tenant once (``set_tenant``); a second, different tenant raises;
- cross-tenant work runs on the platform connection (``platform_connection``), and only there
  may it lift tenant scoping (``platform_scope``);
- whenever the scope changes, the session's identity map is emptied, because
  ``session.get`` serves cached rows without SQL, out of sight of the ORM guard and RLS.
"""
import sys
from contextlib import contextmanager
from functools import wraps

from tenants.rls import apply_to_session, flush_pending
from tenants.state import (  # noqa: F401  (everyone reads the context through this module)
    current_tenant_id,
    in_platform_scope,
    on_platform_connection,
)
from tenants.state import platform as _platform
from tenants.state import platform_connection as _platform_connection
from tenants.state import tenant_id as _tenant_id


class TenantContextError(RuntimeError):
    """Tenant scoping was broken: a row of another tenant, a second tenant in one request,
    or platform-wide reading outside platform work."""


def _scope_changed() -> None:
    """Push the new scope into the open transaction (RLS reads it) and forget every row
    loaded under the old one."""
    apply_to_session(clear_identity_map=True)


@contextmanager
def _changing_scope():
    """Around leaving a scope: flush its pending rows first (unless it is being left by an
    exception), then, once the caller restored the outer scope, clear and re-apply."""
    if sys.exc_info()[0] is None:
        flush_pending()
    yield
    _scope_changed()


def set_tenant(tenant_id: int) -> None:
    """Set the tenant for the rest of this request or job (cleared in teardown). Setting it
    again to the same tenant is harmless; a different one is a bug and raises."""
    current = _tenant_id.get()
    if current == tenant_id:
        return
    if current is not None:
        raise TenantContextError(f"tenant {tenant_id} set where tenant {current} is current")
    with _changing_scope():
        _tenant_id.set(tenant_id)


@contextmanager
def tenant_scope(tenant_id: int):
    """Act as ``tenant_id`` inside the block: a job, a command, or one tenant's step of
    platform work. Entering another tenant's scope from a tenant's request raises."""
    current = _tenant_id.get()
    if current == tenant_id and not _platform.get():
        yield  # already this tenant's scope: nothing changes
        return
    if current is not None and not _platform_connection.get():
        raise TenantContextError(f"tenant {tenant_id} entered where tenant {current} is current")
    with _changing_scope():
        token = _tenant_id.set(tenant_id)
        platform = _platform.set(False)
    try:
        yield
    finally:
        with _changing_scope():
            _platform.reset(platform)
            _tenant_id.reset(token)


@contextmanager
def platform_scope():
    """PLATFORM-WIDE: lift tenant scoping for the block.

    Only for work that is by nature across tenants (daily billing, sweeps, operator tools),
    and only on the platform connection: the application's database role could not see the
    rows anyway, so asking for them there is a bug. Grep for ``platform_scope`` to audit.
    """
    if not _platform_connection.get():
        raise TenantContextError("platform_scope() outside platform work (platform_connection)")
    with _changing_scope():
        token = _platform.set(True)
    try:
        yield
    finally:
        with _changing_scope():
            _platform.reset(token)


@contextmanager
def platform_connection():
    """Run the block on the platform's database connection (a role that bypasses row-level
    security; the same connection on a single-role install). Enter it before the block's
    first statement: jobs, commands and operator requests start with it."""
    token = _platform_connection.set(True)
    try:
        yield
    finally:
        _platform_connection.reset(token)


def platform_work(fn):
    """Decorator: ``fn`` is cross-tenant platform work and always runs on the platform
    connection, whoever calls it (a job, a command, the operator's console)."""

    @wraps(fn)
    def run(*args, **kwargs):
        with platform_connection():
            return fn(*args, **kwargs)

    return run


def resolves_own_tenant(view):
    """Mark a view that finds its tenant itself, from what it is given (a signup creates one,
    a link's token names one): the request resolver then enters none of its own — not the
    caller's session or token, which belong to another company."""
    view.resolves_own_tenant = True
    return view


def use_platform_connection() -> None:
    """The rest of this request runs as platform work (reset by ``clear`` in teardown)."""
    _platform_connection.set(True)


def clear() -> None:
    _tenant_id.set(None)
    _platform.set(False)
    _platform_connection.set(False)
