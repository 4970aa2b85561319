"""gmail: imported letters kept as they came, and the mailbox's label

Revision ID: 0024
Revises: 0022
"""
import sqlalchemy as sa
from alembic import op

from tenants.rls import create_tenant_table

revision = "0024"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade():
    create_tenant_table(
        op, "gmail_originals",
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("headers_only", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("tenant_id", "message_id",
                            name=op.f("uq_gmail_originals_tenant_id_message_id")),
        keys=[("message_id", "messages")],
    )
    op.add_column("gmail_mailboxes", sa.Column("label_id", sa.String(length=64), nullable=True))
    op.add_column("gmail_mailboxes", sa.Column("labels_behind", sa.Boolean(), nullable=False,
                                               server_default=sa.false()))
    op.add_column("gmail_log", sa.Column("label_pending", sa.Boolean(), nullable=False,
                                         server_default=sa.false()))
    op.create_index("ix_gmail_log_label_pending", "gmail_log", ["tenant_id", "mailbox_id"],
                    postgresql_where=sa.text("label_pending"),
                    sqlite_where=sa.text("label_pending"))


def downgrade():
    op.drop_index("ix_gmail_log_label_pending", table_name="gmail_log")
    op.drop_column("gmail_log", "label_pending")
    op.drop_column("gmail_mailboxes", "labels_behind")
    op.drop_column("gmail_mailboxes", "label_id")
    op.drop_table("gmail_originals")
