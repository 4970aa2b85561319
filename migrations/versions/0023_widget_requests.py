"""widget requests waiting to become tickets (a durable, lean intake)

Revision ID: 0023
Revises: 0022

A visitor's JSON request through the widget is stored in the request as one row — the
ticket number it reserved from the tenant's counter, the checked form, the visitor's
language, whether the address was verified, whether the day's quota admitted it, and the key
of the portal link the answer carries; the ticket's id is reserved too, so the link in the
answer is the ticket's own — and a job right after the commit turns it into the
ticket through the ticket desk's one creation path, deleting the row in the same
transaction. A row that outlives its job (a worker died) is found by the periodic sweep. A
tenant table under forced row-level security.
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from tenants.rls import create_tenant_table

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade():
    create_tenant_table(
        op, "widget_requests",
        sa.Column("ticket_id", sa.BigInteger(), nullable=False),
        sa.Column("number", sa.BigInteger(), nullable=False),
        sa.Column("payload", JSON, nullable=False),
        sa.Column("language", sa.String(length=5), nullable=True),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("admitted", sa.Boolean(), nullable=False),
        sa.Column("link_key", sa.String(length=32), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        constraints=[
            sa.UniqueConstraint("tenant_id", "number",
                                name=op.f("uq_widget_requests_tenant_id_number")),
            sa.UniqueConstraint("tenant_id", "link_key",
                                name=op.f("uq_widget_requests_tenant_id_link_key")),
        ])
    op.create_index("ix_widget_requests_received_at", "widget_requests", ["received_at"])


def downgrade():
    op.drop_table("widget_requests")
