"""Gmail: the connected mailbox, consents in progress, the ingestion log, replies sent out

Revision ID: 0015
Revises: 0014

Four tenant tables under forced row-level security. ``gmail_log`` has one row per mailbox
and Gmail message id (the unique key a re-run sync stops at); ``gmail_consent_states`` is
found by its hashed ``state`` before any tenant is known, through the
``hd_tenant_by_consent_state`` resolver.
"""
import sqlalchemy as sa
from alembic import op

from tenants.rls import create_resolvers, create_tenant_table

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

MOMENT = sa.DateTime(timezone=True)


def _table(name: str, *items, foreign=()) -> None:
    create_tenant_table(op, name, *items, keys=foreign)


def _check(name: str, values: tuple) -> sa.CheckConstraint:
    listed = ", ".join(f"'{v}'" for v in values)
    return sa.CheckConstraint(f"status IN ({listed})", name=op.f(f"ck_{name}_status"))


def upgrade():
    _table(
        "gmail_mailboxes",
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("refresh_token", sa.Text(), nullable=True),
        sa.Column("connected_by_id", sa.BigInteger(), nullable=True),
        sa.Column("connected_at", MOMENT, nullable=False),
        sa.Column("query", sa.String(length=500), nullable=False),
        sa.Column("history_id", sa.String(length=32), nullable=True),
        sa.Column("full_sync_history_id", sa.String(length=32), nullable=True),
        sa.Column("progress_done", sa.Integer(), nullable=False),
        sa.Column("progress_total", sa.Integer(), nullable=False),
        sa.Column("last_sync_at", MOMENT, nullable=True),
        sa.Column("last_message_at", MOMENT, nullable=True),
        sa.Column("retry_after", MOMENT, nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.UniqueConstraint("tenant_id", name=op.f("uq_gmail_mailboxes_tenant_id")),
        _check("gmail_mailboxes", ("connected", "needs_reconnect", "disconnected")),
    )
    _table(
        "gmail_consent_states",
        sa.Column("state_hash", sa.String(length=64), nullable=False),
        sa.Column("staff_id", sa.BigInteger(), nullable=False),
        sa.Column("code_verifier", sa.String(length=128), nullable=False),
        sa.Column("redirect_uri", sa.String(length=500), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("expires_at", MOMENT, nullable=False),
        sa.UniqueConstraint("state_hash", name=op.f("uq_gmail_consent_states_state_hash")),
        foreign=[("staff_id", "staff")],
    )
    _table(
        "gmail_log",
        sa.Column("mailbox_id", sa.BigInteger(), nullable=False),
        sa.Column("gmail_id", sa.String(length=64), nullable=False),
        sa.Column("thread_id", sa.String(length=64), nullable=False),
        sa.Column("message_id", sa.String(length=300), nullable=False),
        sa.Column("from_address", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("ticket_id", sa.BigInteger(), nullable=True),
        sa.Column("ticket_number", sa.BigInteger(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("updated_at", MOMENT, nullable=False),
        sa.UniqueConstraint("tenant_id", "mailbox_id", "gmail_id",
                            name=op.f("uq_gmail_log_tenant_id_mailbox_id_gmail_id")),
        _check("gmail_log", ("imported", "skipped", "failed")),
        foreign=[("mailbox_id", "gmail_mailboxes")],
    )
    op.create_index("ix_gmail_log_message_id", "gmail_log", ["tenant_id", "message_id"])
    op.create_index("ix_gmail_log_thread", "gmail_log", ["tenant_id", "thread_id"])
    op.create_index("ix_gmail_log_status", "gmail_log", ["tenant_id", "status", "id"])
    _table(
        "gmail_replies",
        sa.Column("ticket_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("rfc_message_id", sa.String(length=300), nullable=False),
        sa.Column("gmail_id", sa.String(length=64), nullable=False),
        sa.Column("gmail_thread_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("sent_at", MOMENT, nullable=True),
        sa.UniqueConstraint("tenant_id", "message_id",
                            name=op.f("uq_gmail_replies_tenant_id_message_id")),
        _check("gmail_replies", ("pending", "sent", "failed")),
        foreign=[("ticket_id", "tickets"), ("message_id", "messages")],
    )
    op.create_index("ix_gmail_replies_ticket", "gmail_replies", ["tenant_id", "ticket_id"])
    op.create_index("ix_gmail_replies_rfc_id", "gmail_replies", ["tenant_id", "rfc_message_id"])
    op.create_index("ix_gmail_replies_thread", "gmail_replies", ["tenant_id", "gmail_thread_id"])
    create_resolvers(op, "tenant_by_consent_state")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS hd_enter_tenant_by_consent_state(text)")
        op.execute("DROP FUNCTION IF EXISTS hd_tenant_by_consent_state(text)")
    for name in ("gmail_replies", "gmail_log", "gmail_consent_states", "gmail_mailboxes"):
        op.drop_table(name)
