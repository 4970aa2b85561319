"""merge: knowledge-base search in one statement, with the channels and reports

Revision ID: 0022
Revises: 0020, 0021
"""
revision = "0022"
down_revision = ("0020", "0021")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
