"""merge: knowledge base, customer portal, widget and spam, entering resolvers

Revision ID: 0014
Revises: 0009, 0010, 0011, 0013
"""
revision = "0014"
down_revision = ("0009", "0010", "0011", "0013")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
