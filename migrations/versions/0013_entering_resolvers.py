"""entering resolvers: ``hd_enter_<name>(key)`` finds the tenant a slug, key or token names
and sets it as the transaction's tenant in the same statement

Revision ID: 0013
Revises: 0008
"""
from alembic import op

from tenants.rls import RESOLVERS, create_resolvers

revision = "0013"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    create_resolvers(op)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in RESOLVERS:
        op.execute(f"DROP FUNCTION IF EXISTS hd_enter_{name}(text)")
