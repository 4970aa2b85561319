"""response templates, routing rules, SLA calendar, holidays and policies

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-27 08:40:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from tenants.rls import enable_rls

revision = '0003'
down_revision = '0001'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')
TS = sa.DateTime(timezone=True)
PRIORITIES = "('low', 'normal', 'high', 'urgent')"
STATUSES = "('new', 'open', 'pending', 'on_hold', 'resolved', 'closed')"
TYPES = ("('incident', 'service_request', 'information_request', 'documentation_request', "
         "'change_request')")


def _set_null(column):
    # PostgreSQL 15+ clears only the named column; a plain SET NULL would also null
    # tenant_id. Elsewhere (SQLite) the ORM clears the reference before the delete.
    return f'SET NULL ({column})' if op.get_bind().dialect.name == 'postgresql' else None


def _tenant_fk(table):
    return sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=f'fk_{table}_tenant_id_tenants', ondelete='CASCADE')


def _ref(table, column, target):
    return sa.ForeignKeyConstraint(
        ['tenant_id', column], [f'{target}.tenant_id', f'{target}.id'],
        name=f'fk_{table}_tenant_id_{column}_{target}', ondelete=_set_null(column))


def upgrade():
    op.create_table('response_templates',
    sa.Column('id', ID, nullable=False),
    sa.Column('tenant_id', sa.BigInteger(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('department_id', sa.BigInteger(), nullable=True),
    sa.Column('set_status', sa.String(length=16), nullable=True),
    sa.Column('set_priority', sa.String(length=16), nullable=True),
    sa.Column('set_assignee_id', sa.BigInteger(), nullable=True),
    sa.Column('created_at', TS, nullable=False),
    sa.Column('updated_at', TS, nullable=False),
    sa.CheckConstraint(f'set_status IS NULL OR set_status IN {STATUSES}', name='ck_response_templates_set_status'),
    sa.CheckConstraint(f'set_priority IS NULL OR set_priority IN {PRIORITIES}', name='ck_response_templates_set_priority'),
    _tenant_fk('response_templates'),
    _ref('response_templates', 'department_id', 'departments'),
    _ref('response_templates', 'set_assignee_id', 'staff'),
    sa.PrimaryKeyConstraint('id', name='pk_response_templates'),
    sa.UniqueConstraint('tenant_id', 'id', name='uq_response_templates_tenant_id_id'),
    sa.UniqueConstraint('tenant_id', 'name', name='uq_response_templates_tenant_id_name'),
    )
    op.create_index('ix_response_templates_tenant_id', 'response_templates', ['tenant_id'])
    op.create_index('ix_response_templates_department_id', 'response_templates', ['department_id'])

    op.create_table('routing_rules',
    sa.Column('id', ID, nullable=False),
    sa.Column('tenant_id', sa.BigInteger(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('conditions', JSON, nullable=False),
    sa.Column('department_id', sa.BigInteger(), nullable=True),
    sa.Column('assignee_id', sa.BigInteger(), nullable=True),
    sa.Column('priority', sa.String(length=16), nullable=True),
    sa.Column('type', sa.String(length=32), nullable=True),
    sa.Column('tags', JSON, nullable=False),
    sa.Column('created_at', TS, nullable=False),
    sa.Column('updated_at', TS, nullable=False),
    sa.CheckConstraint(f'priority IS NULL OR priority IN {PRIORITIES}', name='ck_routing_rules_priority'),
    sa.CheckConstraint(f'type IS NULL OR type IN {TYPES}', name='ck_routing_rules_type'),
    _tenant_fk('routing_rules'),
    _ref('routing_rules', 'department_id', 'departments'),
    _ref('routing_rules', 'assignee_id', 'staff'),
    sa.PrimaryKeyConstraint('id', name='pk_routing_rules'),
    sa.UniqueConstraint('tenant_id', 'id', name='uq_routing_rules_tenant_id_id'),
    )
    op.create_index('ix_routing_rules_tenant_id', 'routing_rules', ['tenant_id'])
    op.create_index('ix_routing_rules_tenant_position', 'routing_rules', ['tenant_id', 'position'])

    op.create_table('sla_calendars',
    sa.Column('id', ID, nullable=False),
    sa.Column('tenant_id', sa.BigInteger(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('hours', JSON, nullable=False),
    sa.Column('updated_at', TS, nullable=False),
    _tenant_fk('sla_calendars'),
    sa.PrimaryKeyConstraint('id', name='pk_sla_calendars'),
    sa.UniqueConstraint('tenant_id', name='uq_sla_calendars_tenant_id'),
    sa.UniqueConstraint('tenant_id', 'id', name='uq_sla_calendars_tenant_id_id'),
    )
    op.create_index('ix_sla_calendars_tenant_id', 'sla_calendars', ['tenant_id'])

    op.create_table('sla_holidays',
    sa.Column('id', ID, nullable=False),
    sa.Column('tenant_id', sa.BigInteger(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    _tenant_fk('sla_holidays'),
    sa.PrimaryKeyConstraint('id', name='pk_sla_holidays'),
    sa.UniqueConstraint('tenant_id', 'id', name='uq_sla_holidays_tenant_id_id'),
    sa.UniqueConstraint('tenant_id', 'day', name='uq_sla_holidays_tenant_id_day'),
    )
    op.create_index('ix_sla_holidays_tenant_id', 'sla_holidays', ['tenant_id'])

    op.create_table('sla_policies',
    sa.Column('id', ID, nullable=False),
    sa.Column('tenant_id', sa.BigInteger(), nullable=False),
    sa.Column('priority', sa.String(length=16), nullable=False),
    sa.Column('first_response_minutes', sa.Integer(), nullable=False),
    sa.Column('resolution_minutes', sa.Integer(), nullable=False),
    sa.CheckConstraint(f'priority IN {PRIORITIES}', name='ck_sla_policies_priority'),
    sa.CheckConstraint('first_response_minutes > 0 AND resolution_minutes > 0', name='ck_sla_policies_positive_targets'),
    _tenant_fk('sla_policies'),
    sa.PrimaryKeyConstraint('id', name='pk_sla_policies'),
    sa.UniqueConstraint('tenant_id', 'id', name='uq_sla_policies_tenant_id_id'),
    sa.UniqueConstraint('tenant_id', 'priority', name='uq_sla_policies_tenant_id_priority'),
    )
    op.create_index('ix_sla_policies_tenant_id', 'sla_policies', ['tenant_id'])

    for table in ('response_templates', 'routing_rules', 'sla_calendars', 'sla_holidays',
                  'sla_policies'):
        enable_rls(op, table)


def downgrade():
    for table in ('sla_policies', 'sla_holidays', 'sla_calendars', 'routing_rules',
                  'response_templates'):
        op.drop_table(table)
