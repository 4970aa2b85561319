"""merge: widget requests registered in one statement, with Gmail originals and labels

Revision ID: 0025
Revises: 0023, 0024
"""
revision = "0025"
down_revision = ("0023", "0024")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
