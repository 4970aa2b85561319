"""operations: the platform's audit log of operator actions, tenant data exports, and the
operator's hold on a tenant

Revision ID: 0018
Revises: 0014
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from tenants.rls import enable_rls

revision = "0018"
down_revision = "0014"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade():
    # A suspension by the operator (abuse, a dispute) that neither a top-up nor the daily
    # charge lifts; only the operator's "resume" does (billing/suspension.py).
    with op.batch_alter_table("tenants") as batch:
        batch.add_column(sa.Column("operator_hold", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))

    # The platform's own audit log. Global, not tenant-scoped: an operator action is the
    # platform's, not a tenant's (a plan or add-on change, a retried job belong to no
    # tenant), the log must outlive a deleted tenant (so it names the tenant by id and slug,
    # without a foreign key), and no tenant may read what the operator noted. A tenant still
    # sees what was done to it in its own event log (e.g. ``billing.adjusted``).
    op.create_table(
        "operator_actions",
        sa.Column("id", ID, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("subject_tenant_id", sa.BigInteger(), nullable=True),
        sa.Column("tenant_slug", sa.String(length=40), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("details", JSON, nullable=False),
        sa.Column("request_id", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operator_actions")),
        sa.CheckConstraint("source IN ('console', 'cli')", name=op.f("ck_operator_actions_source")),
    )
    op.create_index("ix_operator_actions_tenant", "operator_actions",
                    ["subject_tenant_id", "id"])
    _platform_only("operator_actions")
    _append_only("operator_actions")

    op.create_table(
        "tenant_exports",
        sa.Column("id", ID, nullable=False),
        sa.Column("tenant_id", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=True),
        sa.Column("counts", JSON, nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE",
                                name=op.f("fk_tenant_exports_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tenant_exports")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_tenant_exports_tenant_id_id")),
        sa.CheckConstraint("status IN ('queued', 'done', 'failed')",
                           name=op.f("ck_tenant_exports_status")),
    )
    op.create_index(op.f("ix_tenant_exports_tenant_id"), "tenant_exports", ["tenant_id"])
    enable_rls(op, "tenant_exports")


def _platform_only(table: str) -> None:
    """Forced row-level security with no tenant policy: the application role sees and
    writes no row; the platform role bypasses it; the owner only with ``app.platform``."""
    if op.get_bind().dialect.name != "postgresql":
        return
    owner = op.get_bind().execute(sa.text("SELECT current_user")).scalar()
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(f"""CREATE POLICY platform_owner ON {table} TO "{owner}"
                   USING (current_setting('app.platform', true) = 'on')
                   WITH CHECK (current_setting('app.platform', true) = 'on')""")


def _append_only(table: str) -> None:
    """Nothing updates or deletes an audit row: the database refuses it."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'the operator audit log is append-only'; END $$""")
        op.execute(f"""CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
                       FOR EACH ROW EXECUTE FUNCTION {table}_append_only()""")
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"""CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table}
                           BEGIN SELECT RAISE(ABORT, 'the operator audit log is append-only');
                           END""")


def downgrade():
    op.drop_table("tenant_exports")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS operator_actions_append_only ON operator_actions")
        op.execute("DROP FUNCTION IF EXISTS operator_actions_append_only()")
    op.drop_table("operator_actions")
    with op.batch_alter_table("tenants") as batch:
        batch.drop_column("operator_hold")
