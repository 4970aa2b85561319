"""completions a new ticket still waits for (a request registered now, completed by a job)

Revision ID: 0019
Revises: 0014

A request from a customer channel that must answer fast (the website widget) is registered
in the request — its number, the ticket, the first message, the files — and the rest of its
creation (the search document, the events, the letters) runs in a job right after the
commit. ``ticket_completions`` holds one row per ticket still waiting: written in the same
statement as the ticket, deleted in the transaction that completes it. A row that outlives
its job (a worker died) is found by the periodic sweep and completed then. A tenant table
under forced row-level security; its key includes ``tenant_id``.
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from tenants.rls import enable_rls

revision = "0019"
down_revision = "0014"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade():
    op.create_table(
        "ticket_completions",
        sa.Column("tenant_id", sa.BigInteger(), nullable=False),
        sa.Column("ticket_id", sa.BigInteger(), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE",
                                name=op.f("fk_ticket_completions_tenant_id_tenants")),
        sa.ForeignKeyConstraint(["tenant_id", "ticket_id"], ["tickets.tenant_id", "tickets.id"],
                                ondelete="CASCADE",
                                name=op.f("fk_ticket_completions_tenant_id_ticket_id_tickets")),
        sa.PrimaryKeyConstraint("tenant_id", "ticket_id", name=op.f("pk_ticket_completions")),
    )
    op.create_index("ix_ticket_completions_registered_at", "ticket_completions",
                    ["registered_at"])
    enable_rls(op, "ticket_completions")


def downgrade():
    op.drop_table("ticket_completions")
