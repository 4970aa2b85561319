"""merge: Gmail, letters and internal mail, reports, operations, widget intake completion

Revision ID: 0021
Revises: 0015, 0016, 0017, 0018, 0019
"""
revision = "0021"
down_revision = ("0015", "0016", "0017", "0018", "0019")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
