"""login sessions the server can end, password reset links; wrong passwords are throttled
in Redis instead of locking the account

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

from tenants.rls import create_resolvers, enable_rls

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _tenant_scoped(name: str, *columns: sa.Column, unique: str) -> None:
    op.create_table(
        name,
        sa.Column("id", ID, nullable=False),
        sa.Column("tenant_id", sa.BigInteger(), nullable=False),
        sa.Column("staff_id", sa.BigInteger(), nullable=False),
        *columns,
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE",
                                name=op.f(f"fk_{name}_tenant_id_tenants")),
        sa.ForeignKeyConstraint(["tenant_id", "staff_id"], ["staff.tenant_id", "staff.id"],
                                ondelete="CASCADE",
                                name=op.f(f"fk_{name}_tenant_id_staff_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f(f"uq_{name}_tenant_id_id")),
        sa.UniqueConstraint(unique, name=op.f(f"uq_{name}_{unique}")),
    )
    op.create_index(op.f(f"ix_{name}_tenant_id"), name, ["tenant_id"])
    op.create_index(op.f(f"ix_{name}_staff_id"), name, ["staff_id"])
    enable_rls(op, name)


def upgrade():
    _tenant_scoped(
        "staff_sessions",
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_agent", sa.String(length=300), nullable=False),
        sa.Column("ip", sa.String(length=45), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        unique="key_hash",
    )
    _tenant_scoped(
        "password_resets",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        unique="token_hash",
    )
    create_resolvers(op, "tenant_by_reset_hash", entering=False)
    # Plain ALTER TABLE … DROP COLUMN, also on SQLite (3.35+): a batch copy of ``staff``
    # there would drop the old table, and its ON DELETE CASCADE would empty the tables
    # that refer to it.
    op.drop_column("staff", "failed_logins")
    op.drop_column("staff", "locked_until")


def downgrade():
    op.add_column("staff", sa.Column("failed_logins", sa.Integer(), nullable=False,
                                     server_default="0"))
    op.add_column("staff", sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS hd_tenant_by_reset_hash(text)")
    op.drop_table("password_resets")
    op.drop_table("staff_sessions")
