"""website widget settings, stop lists, and the spam flag on tickets

Revision ID: 0011
Revises: 0008

``widget_settings`` and ``stop_lists`` hold one row per tenant (the tenant id is the key);
both are tenant tables under forced row-level security. ``tickets.spam`` marks a request a
stop list held back: kept, out of the daily views, restorable ("not spam"); a partial index
over just those rows serves the spam view. ``tickets.requester_verified``: the website
vouched for the requester's address (identity verification).
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from tenants.rls import enable_rls

revision = "0011"
down_revision = "0008"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _per_tenant(name: str, *columns: sa.Column) -> None:
    op.create_table(
        name,
        sa.Column("tenant_id", sa.BigInteger(), nullable=False),
        *columns,
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE",
                                name=op.f(f"fk_{name}_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f(f"pk_{name}")),
    )
    enable_rls(op, name)


def upgrade():
    _per_tenant(
        "widget_settings",
        sa.Column("allowed_origins", JSON, nullable=False),
        sa.Column("fields", JSON, nullable=False),
        sa.Column("department_ids", JSON, nullable=False),
        sa.Column("colors", JSON, nullable=False),
        sa.Column("texts", JSON, nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False, server_default=""),
        sa.Column("identity_secret", sa.String(length=64), nullable=True),
    )
    _per_tenant(
        "stop_lists",
        sa.Column("addresses", JSON, nullable=False),
        sa.Column("domains", JSON, nullable=False),
        sa.Column("words", JSON, nullable=False),
    )
    # A constant default: PostgreSQL adds the columns without rewriting the table.
    op.add_column("tickets", sa.Column("spam", sa.Boolean(), nullable=False,
                                       server_default=sa.false()))
    op.add_column("tickets", sa.Column("requester_verified", sa.Boolean(), nullable=False,
                                       server_default=sa.false()))
    op.create_index("ix_tickets_spam", "tickets", ["tenant_id", "id"],
                    postgresql_where=sa.text("spam"), sqlite_where=sa.text("spam"))


def downgrade():
    op.drop_index("ix_tickets_spam", table_name="tickets")
    op.drop_column("tickets", "requester_verified")
    op.drop_column("tickets", "spam")
    op.drop_table("stop_lists")
    op.drop_table("widget_settings")
