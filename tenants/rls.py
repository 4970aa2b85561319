"""Wall three: PostgreSQL row-level security keyed by a per-transaction setting.

Every transaction gets ``app.tenant_id`` (and ``app.platform`` for platform-wide
work) through ``set_config(..., true)``; the policies created by ``enable_rls``
in migrations compare each row's tenant with it. FORCE makes the policies bind
the tables' owner too, which is the role the application connects as.
"""
from flask import has_app_context
from sqlalchemy import event, text
from sqlalchemy.orm import Session

from tenants import context

_SET = text(
    "SELECT set_config('app.tenant_id', :tenant, true), set_config('app.platform', :platform, true)"
)


def _params() -> dict:
    tenant = context.current_tenant_id()
    return {
        "tenant": "" if tenant is None else str(tenant),
        "platform": "on" if context.in_platform_scope() else "off",
    }


@event.listens_for(Session, "after_begin")
def _on_begin(session, transaction, connection):
    if connection.dialect.name == "postgresql":
        connection.execute(_SET, _params())


def apply_to_session() -> None:
    """Re-apply the context to the request's open transaction, if there is one."""
    if not has_app_context():
        return
    from app.extensions import db

    session = db.session()
    if not session.in_transaction():
        return  # the next transaction picks the context up in after_begin
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(_SET, _params())


def policy_sql(table: str, column: str = "tenant_id") -> list[str]:
    """The statements that wall off ``table`` by tenant (used by migrations)."""
    check = (
        "current_setting('app.platform', true) = 'on' OR "
        f"{column} = NULLIF(current_setting('app.tenant_id', true), '')::bigint"
    )
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY tenant_isolation ON {table} USING ({check}) WITH CHECK ({check})",
    ]


def enable_rls(op, table: str, column: str = "tenant_id") -> None:
    """Migration helper: enable and force RLS on ``table`` (PostgreSQL only)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in policy_sql(table, column):
        op.execute(statement)
