"""three database roles: policies that no session setting of the application role opens,
resolver functions for lookups made before the tenant is known

Revision ID: 0007
Revises: 0006

The ``app.platform`` setting used to open every tenant's rows to whoever set it, the
application role included. Now ``tenant_isolation`` compares the tenant only, and the
setting opens rows only for the owner (``platform_owner``): on a three-role install the
application role cannot use it, and platform work connects as a BYPASSRLS role. Lookups
before the tenant is known (a login page's slug, a token, an invitation link) go through
SECURITY DEFINER functions that answer a tenant id and nothing else.
"""
from alembic import op
from sqlalchemy import text

from tenants.rls import create_resolvers, enable_rls

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _tables_with_rls() -> list[str]:
    return list(op.get_bind().execute(text(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relrowsecurity "
        "ORDER BY c.relname")).scalars())


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in _tables_with_rls():
        enable_rls(op, table, column="id" if table == "tenants" else "tenant_id")
    create_resolvers(op, entering=False)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in ("tenant_by_slug", "tenant_by_widget_key", "tenant_by_token_hash",
                 "tenant_by_invitation_hash"):
        op.execute(f"DROP FUNCTION IF EXISTS hd_{name}(text)")
