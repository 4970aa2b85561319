"""merge the area branches; indexes for the SLA breach sweep

Revision ID: 0006
Revises: 0002, 0003, 0004, 0005
"""
from alembic import op

revision = "0006"
down_revision = ("0002", "0003", "0004", "0005")
branch_labels = None
depends_on = None

# The sweep (app/sla/jobs.py, every minute, all tenants) looks for open tickets whose due
# time passed and that are not flagged yet; these partial indexes hold only such candidates.
INDEXES = {
    "ix_tickets_first_response_due": (
        "first_response_due_at",
        "sla_breached IS false AND first_response_at IS NULL AND deleted_at IS NULL"),
    "ix_tickets_resolution_due": (
        "resolution_due_at",
        "sla_breached IS false AND sla_paused_at IS NULL AND deleted_at IS NULL"),
}


def upgrade():
    for name, (column, where) in INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON tickets ({column}) WHERE {where}")


def downgrade():
    for name in INDEXES:
        op.execute(f"DROP INDEX {name}")
