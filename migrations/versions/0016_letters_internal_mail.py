"""letters and internal mail: tenants' letter templates, requesters' letter languages, and
staff conversations with their participants, messages and linked tickets

Revision ID: 0016
Revises: 0014

Every table is a tenant table under forced row-level security, with foreign keys that
include ``tenant_id``.
"""
import sqlalchemy as sa
from alembic import op

from tenants.rls import create_tenant_table

revision = "0016"
down_revision = "0014"
branch_labels = None
depends_on = None

NOW = sa.DateTime(timezone=True)
KINDS = "('receipt', 'reply', 'resolved', 'staff_new_ticket', 'staff_assigned')"
LANGUAGES = "('en', 'ru', 'kk')"


def _table(name: str, *columns, keys=(), constraints=()) -> None:
    """A tenant table: ``keys`` are (column, parent table) foreign keys that include
    ``tenant_id``, so a row can't point into another tenant."""
    create_tenant_table(op, name, *columns, keys=keys, constraints=constraints)


def upgrade():
    _table(
        "letter_templates",
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("updated_at", NOW, nullable=False),
        constraints=[
            sa.UniqueConstraint("tenant_id", "kind", "language",
                                name=op.f("uq_letter_templates_tenant_id_kind_language")),
            sa.CheckConstraint(f"kind IN {KINDS}", name=op.f("ck_letter_templates_kind")),
            sa.CheckConstraint(f"language IN {LANGUAGES}",
                               name=op.f("ck_letter_templates_language")),
        ])
    _table(
        "requester_languages",
        sa.Column("customer_id", sa.BigInteger(), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("updated_at", NOW, nullable=False),
        keys=[("customer_id", "customers")],
        constraints=[
            sa.UniqueConstraint("tenant_id", "customer_id",
                                name=op.f("uq_requester_languages_tenant_id_customer_id")),
            sa.CheckConstraint(f"language IN {LANGUAGES}",
                               name=op.f("ck_requester_languages_language")),
        ])
    _table(
        "internal_conversations",
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("started_by_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", NOW, nullable=False),
        sa.Column("last_message_at", NOW, nullable=False),
        sa.Column("last_message_id", sa.BigInteger(), nullable=False),
        keys=[("started_by_id", "staff")])
    op.create_index("ix_internal_conversations_last", "internal_conversations",
                    ["tenant_id", "last_message_id"])
    _table(
        "internal_participants",
        sa.Column("conversation_id", sa.BigInteger(), nullable=False),
        sa.Column("staff_id", sa.BigInteger(), nullable=False),
        sa.Column("last_read_message_id", sa.BigInteger(), nullable=False),
        keys=[("conversation_id", "internal_conversations"), ("staff_id", "staff")],
        constraints=[sa.UniqueConstraint(
            "tenant_id", "conversation_id", "staff_id",
            name=op.f("uq_internal_participants_tenant_id_conversation_id_staff_id"))])
    op.create_index("ix_internal_participants_staff", "internal_participants",
                    ["tenant_id", "staff_id"])
    _table(
        "internal_messages",
        sa.Column("conversation_id", sa.BigInteger(), nullable=False),
        sa.Column("author_id", sa.BigInteger(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("created_at", NOW, nullable=False),
        keys=[("conversation_id", "internal_conversations"), ("author_id", "staff")])
    op.create_index("ix_internal_messages_conversation", "internal_messages",
                    ["tenant_id", "conversation_id", "id"])
    _table(
        "internal_ticket_links",
        sa.Column("conversation_id", sa.BigInteger(), nullable=False),
        sa.Column("ticket_id", sa.BigInteger(), nullable=False),
        keys=[("conversation_id", "internal_conversations"), ("ticket_id", "tickets")],
        constraints=[sa.UniqueConstraint(
            "tenant_id", "conversation_id", "ticket_id",
            name=op.f("uq_internal_ticket_links_tenant_id_conversation_id_ticket_id"))])
    op.create_index("ix_internal_ticket_links_ticket", "internal_ticket_links",
                    ["tenant_id", "ticket_id"])


def downgrade():
    for name in ("internal_ticket_links", "internal_messages", "internal_participants",
                 "internal_conversations", "requester_languages", "letter_templates"):
        op.drop_table(name)
