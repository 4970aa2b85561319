"""customer portal: signed links a requester follows, and ratings of resolved tickets

Revision ID: 0010
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

from tenants.rls import enable_rls

revision = "0010"
down_revision = "0008"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _of_ticket_and_customer(name: str, *columns, constraints=()) -> None:
    """A tenant table whose rows belong to a ticket and its requester (both keys include
    ``tenant_id``, so a row can't point into another tenant)."""
    op.create_table(
        name,
        sa.Column("id", ID, nullable=False),
        sa.Column("tenant_id", sa.BigInteger(), nullable=False),
        sa.Column("ticket_id", sa.BigInteger(), nullable=False),
        sa.Column("customer_id", sa.BigInteger(), nullable=False),
        *columns,
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE",
                                name=op.f(f"fk_{name}_tenant_id_tenants")),
        sa.ForeignKeyConstraint(["tenant_id", "ticket_id"], ["tickets.tenant_id", "tickets.id"],
                                ondelete="CASCADE",
                                name=op.f(f"fk_{name}_tenant_id_ticket_id_tickets")),
        sa.ForeignKeyConstraint(["tenant_id", "customer_id"],
                                ["customers.tenant_id", "customers.id"], ondelete="CASCADE",
                                name=op.f(f"fk_{name}_tenant_id_customer_id_customers")),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f(f"uq_{name}_tenant_id_id")),
        *constraints,
    )
    op.create_index(op.f(f"ix_{name}_tenant_id"), name, ["tenant_id"])
    enable_rls(op, name)


def upgrade():
    _of_ticket_and_customer(
        "portal_links",
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        constraints=[sa.UniqueConstraint("tenant_id", "key",
                                         name=op.f("uq_portal_links_tenant_id_key"))],
    )
    op.create_index("ix_portal_links_ticket", "portal_links",
                    ["tenant_id", "ticket_id", "customer_id"])
    _of_ticket_and_customer(
        "ticket_ratings",
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("rated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        constraints=[
            sa.UniqueConstraint("tenant_id", "ticket_id",
                                name=op.f("uq_ticket_ratings_tenant_id_ticket_id")),
            sa.CheckConstraint("score BETWEEN 1 AND 5", name=op.f("ck_ticket_ratings_score")),
        ],
    )
    op.create_index("ix_ticket_ratings_rated_at", "ticket_ratings", ["tenant_id", "rated_at"])


def downgrade():
    op.drop_table("ticket_ratings")
    op.drop_table("portal_links")
