"""staff invitations

Revision ID: 0005
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

from tenants.rls import enable_rls

revision = "0005"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "staff_invitations",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("tenant_id", sa.BigInteger(), nullable=False),
        sa.Column("staff_id", sa.BigInteger(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE",
                                name=op.f("fk_staff_invitations_tenant_id_tenants")),
        sa.ForeignKeyConstraint(["tenant_id", "staff_id"], ["staff.tenant_id", "staff.id"],
                                ondelete="CASCADE",
                                name=op.f("fk_staff_invitations_tenant_id_staff_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_invitations")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_staff_invitations_tenant_id_id")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_staff_invitations_token_hash")),
    )
    op.create_index(op.f("ix_staff_invitations_tenant_id"), "staff_invitations", ["tenant_id"])
    op.create_index(op.f("ix_staff_invitations_staff_id"), "staff_invitations", ["staff_id"])
    enable_rls(op, "staff_invitations")


def downgrade():
    op.drop_table("staff_invitations")
