"""Wall two: the ORM guard.

Every model with ``TenantScoped`` gets ``tenant_id = current`` added to every
ORM query, including relationship loads and ORM UPDATE/DELETE; with no tenant
context the criterion is false, so nothing is returned (fail closed). New rows
are stamped with the current tenant in ``before_flush``; a row of another tenant
can't be written. ``platform_scope()`` is the single, greppable opt-out.
"""
from sqlalchemy import BigInteger, ForeignKey, event, false
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column, with_loader_criteria

from tenants import context
from tenants.models import Tenant


class TenantScoped:
    """Mixin for every tenant-owned model."""

    @declared_attr
    def tenant_id(cls) -> Mapped[int]:
        return mapped_column(
            BigInteger, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False, index=True
        )


def _criteria() -> list:
    if context.in_platform_scope():
        return []
    tenant = context.current_tenant_id()
    if tenant is None:
        return [
            with_loader_criteria(TenantScoped, lambda cls: false(), include_aliases=True),
            with_loader_criteria(Tenant, lambda cls: false(), include_aliases=True),
        ]
    return [
        with_loader_criteria(
            TenantScoped, lambda cls: cls.tenant_id == tenant, include_aliases=True
        ),
        with_loader_criteria(Tenant, lambda cls: cls.id == tenant, include_aliases=True),
    ]


@event.listens_for(Session, "do_orm_execute")
def _scope_queries(state):
    if state.is_column_load:
        return
    if not (state.is_select or state.is_update or state.is_delete):
        return
    options = _criteria()
    if options:
        state.statement = state.statement.options(*options)


@event.listens_for(Session, "before_flush")
def _stamp_rows(session, flush_context, instances):
    platform = context.in_platform_scope()
    tenant = context.current_tenant_id()
    for obj in session.new:
        if not isinstance(obj, TenantScoped):
            continue
        if obj.tenant_id is None:
            if tenant is None:
                raise context.TenantContextError(
                    f"{type(obj).__name__} created with no tenant context"
                )
            obj.tenant_id = tenant
        elif not platform and obj.tenant_id != tenant:
            raise context.TenantContextError(
                f"{type(obj).__name__} of tenant {obj.tenant_id} written as tenant {tenant}"
            )
    if platform:
        return
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, TenantScoped) and obj.tenant_id != tenant:
            raise context.TenantContextError(
                f"{type(obj).__name__} of tenant {obj.tenant_id} changed as tenant {tenant}"
            )
