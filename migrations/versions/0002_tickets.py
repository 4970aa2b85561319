"""tickets: customers, organizations, tickets, conversation, custom fields, attachments

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 08:40:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

from tenants.rls import enable_rls

# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

TABLES = ("organizations", "customers", "tickets", "messages", "ticket_links", "custom_fields",
          "desk_settings", "ticket_counters", "attachments")


def upgrade():
    op.create_table('organizations',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('domains', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_organizations_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organizations')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_organizations_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'name', name=op.f('uq_organizations_tenant_id_name'))
    )
    op.create_index(op.f('ix_organizations_tenant_id'), 'organizations', ['tenant_id'], unique=False)
    op.create_table('customers',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('organization_id', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'organization_id'], ['organizations.tenant_id', 'organizations.id'], name=op.f('fk_customers_tenant_id_organization_id_organizations')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_customers_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customers')),
    sa.UniqueConstraint('tenant_id', 'email', name=op.f('uq_customers_tenant_id_email')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_customers_tenant_id_id'))
    )
    op.create_index(op.f('ix_customers_tenant_id'), 'customers', ['tenant_id'], unique=False)
    op.create_index('ix_customers_tenant_organization', 'customers', ['tenant_id', 'organization_id'], unique=False)
    op.create_table('tickets',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('number', sa.BigInteger(), nullable=False),
    sa.Column('subject', sa.String(length=500), nullable=False),
    sa.Column('customer_id', sa.BigInteger(), nullable=False),
    sa.Column('organization_id', sa.BigInteger(), nullable=True),
    sa.Column('department_id', sa.BigInteger(), nullable=True),
    sa.Column('assignee_id', sa.BigInteger(), nullable=True),
    sa.Column('type', sa.String(length=32), nullable=True),
    sa.Column('priority', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('tags', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('custom_fields', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('first_response_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deferred', sa.Boolean(), nullable=False),
    sa.Column('merged_into_id', sa.BigInteger(), nullable=True),
    sa.Column('escalation_level', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('first_response_due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolution_due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sla_paused_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sla_paused_seconds', sa.Integer(), nullable=False),
    sa.Column('sla_breached', sa.Boolean(), nullable=False),
    sa.Column('routing_rule_id', sa.BigInteger(), nullable=True),
    sa.Column('tenant_id', sa.BigInteger(), nullable=False),
    sa.CheckConstraint("channel IN ('widget', 'email', 'portal', 'api', 'staff')", name=op.f('ck_tickets_channel')),
    sa.CheckConstraint("priority IN ('low', 'normal', 'high', 'urgent')", name=op.f('ck_tickets_priority')),
    sa.CheckConstraint("status IN ('new', 'open', 'pending', 'on_hold', 'resolved', 'closed')", name=op.f('ck_tickets_status')),
    sa.CheckConstraint("type IS NULL OR type IN ('incident', 'service_request', 'information_request', 'documentation_request', 'change_request')", name=op.f('ck_tickets_type')),
    sa.CheckConstraint('escalation_level BETWEEN 1 AND 3', name=op.f('ck_tickets_escalation_level')),
    sa.ForeignKeyConstraint(['tenant_id', 'assignee_id'], ['staff.tenant_id', 'staff.id'], name=op.f('fk_tickets_tenant_id_assignee_id_staff')),
    sa.ForeignKeyConstraint(['tenant_id', 'customer_id'], ['customers.tenant_id', 'customers.id'], name=op.f('fk_tickets_tenant_id_customer_id_customers')),
    sa.ForeignKeyConstraint(['tenant_id', 'department_id'], ['departments.tenant_id', 'departments.id'], name=op.f('fk_tickets_tenant_id_department_id_departments')),
    sa.ForeignKeyConstraint(['tenant_id', 'merged_into_id'], ['tickets.tenant_id', 'tickets.id'], name=op.f('fk_tickets_tenant_id_merged_into_id_tickets')),
    sa.ForeignKeyConstraint(['tenant_id', 'organization_id'], ['organizations.tenant_id', 'organizations.id'], name=op.f('fk_tickets_tenant_id_organization_id_organizations')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_tickets_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tickets')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_tickets_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'number', name=op.f('uq_tickets_tenant_id_number'))
    )
    op.create_index('ix_tickets_customer', 'tickets', ['tenant_id', 'customer_id', 'id'], unique=False)
    op.create_index('ix_tickets_deleted', 'tickets', ['tenant_id', 'deleted_at'], unique=False)
    op.create_index('ix_tickets_inbox', 'tickets', ['tenant_id', 'id'], unique=False, postgresql_where=sa.text('deleted_at IS NULL AND archived_at IS NULL AND NOT deferred'), sqlite_where=sa.text('deleted_at IS NULL AND archived_at IS NULL AND NOT deferred'))
    op.create_index('ix_tickets_inbox_assignee', 'tickets', ['tenant_id', 'assignee_id', 'id'], unique=False, postgresql_where=sa.text('deleted_at IS NULL AND archived_at IS NULL AND NOT deferred'), sqlite_where=sa.text('deleted_at IS NULL AND archived_at IS NULL AND NOT deferred'))
    op.create_index('ix_tickets_inbox_department', 'tickets', ['tenant_id', 'department_id', 'id'], unique=False, postgresql_where=sa.text('deleted_at IS NULL AND archived_at IS NULL AND NOT deferred'), sqlite_where=sa.text('deleted_at IS NULL AND archived_at IS NULL AND NOT deferred'))
    op.create_index('ix_tickets_inbox_status', 'tickets', ['tenant_id', 'status', 'id'], unique=False, postgresql_where=sa.text('deleted_at IS NULL AND archived_at IS NULL AND NOT deferred'), sqlite_where=sa.text('deleted_at IS NULL AND archived_at IS NULL AND NOT deferred'))
    op.create_index('ix_tickets_inbox_assignee_status', 'tickets', ['tenant_id', 'assignee_id', 'status', 'id'], unique=False, postgresql_where=sa.text('deleted_at IS NULL AND archived_at IS NULL AND NOT deferred'), sqlite_where=sa.text('deleted_at IS NULL AND archived_at IS NULL AND NOT deferred'))
    op.create_index('ix_tickets_inbox_department_status', 'tickets', ['tenant_id', 'department_id', 'status', 'id'], unique=False, postgresql_where=sa.text('deleted_at IS NULL AND archived_at IS NULL AND NOT deferred'), sqlite_where=sa.text('deleted_at IS NULL AND archived_at IS NULL AND NOT deferred'))
    op.create_index(op.f('ix_tickets_tenant_id'), 'tickets', ['tenant_id'], unique=False)
    op.create_table('messages',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('ticket_id', sa.BigInteger(), nullable=False),
    sa.Column('author_kind', sa.String(length=16), nullable=False),
    sa.Column('staff_id', sa.BigInteger(), nullable=True),
    sa.Column('customer_id', sa.BigInteger(), nullable=True),
    sa.Column('author_name', sa.String(length=200), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('internal', sa.Boolean(), nullable=False),
    sa.Column('ticket_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.BigInteger(), nullable=False),
    sa.CheckConstraint("author_kind IN ('staff', 'customer', 'system')", name=op.f('ck_messages_author_kind')),
    sa.ForeignKeyConstraint(['tenant_id', 'customer_id'], ['customers.tenant_id', 'customers.id'], name=op.f('fk_messages_tenant_id_customer_id_customers')),
    sa.ForeignKeyConstraint(['tenant_id', 'staff_id'], ['staff.tenant_id', 'staff.id'], name=op.f('fk_messages_tenant_id_staff_id_staff')),
    sa.ForeignKeyConstraint(['tenant_id', 'ticket_id'], ['tickets.tenant_id', 'tickets.id'], name=op.f('fk_messages_tenant_id_ticket_id_tickets'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_messages_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_messages')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_messages_tenant_id_id'))
    )
    op.create_index(op.f('ix_messages_tenant_id'), 'messages', ['tenant_id'], unique=False)
    op.create_index('ix_messages_ticket', 'messages', ['tenant_id', 'ticket_id', 'id'], unique=False)
    op.create_table('ticket_links',
    sa.Column('ticket_id', sa.BigInteger(), nullable=False),
    sa.Column('linked_id', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('ticket_id < linked_id', name=op.f('ck_ticket_links_ordered')),
    sa.ForeignKeyConstraint(['tenant_id', 'linked_id'], ['tickets.tenant_id', 'tickets.id'], name=op.f('fk_ticket_links_tenant_id_linked_id_tickets'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'ticket_id'], ['tickets.tenant_id', 'tickets.id'], name=op.f('fk_ticket_links_tenant_id_ticket_id_tickets'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_ticket_links_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('ticket_id', 'linked_id', name=op.f('pk_ticket_links'))
    )
    op.create_index('ix_ticket_links_linked', 'ticket_links', ['tenant_id', 'linked_id'], unique=False)
    op.create_index(op.f('ix_ticket_links_tenant_id'), 'ticket_links', ['tenant_id'], unique=False)
    op.create_table('custom_fields',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('options', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.BigInteger(), nullable=False),
    sa.CheckConstraint("kind IN ('text', 'number', 'select', 'checkbox')", name=op.f('ck_custom_fields_kind')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_custom_fields_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_custom_fields')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_custom_fields_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'key', name=op.f('uq_custom_fields_tenant_id_key'))
    )
    op.create_index(op.f('ix_custom_fields_tenant_id'), 'custom_fields', ['tenant_id'], unique=False)
    op.create_table('desk_settings',
    sa.Column('tenant_id', sa.BigInteger(), nullable=False),
    sa.Column('data', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_desk_settings_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', name=op.f('pk_desk_settings'))
    )
    op.create_table('ticket_counters',
    sa.Column('tenant_id', sa.BigInteger(), nullable=False),
    sa.Column('last_number', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_ticket_counters_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', name=op.f('pk_ticket_counters'))
    )
    op.create_table('attachments',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('ticket_id', sa.BigInteger(), nullable=True),
    sa.Column('message_id', sa.BigInteger(), nullable=True),
    sa.Column('uploaded_by_id', sa.BigInteger(), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=127), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_key', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'message_id'], ['messages.tenant_id', 'messages.id'], name=op.f('fk_attachments_tenant_id_message_id_messages'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'ticket_id'], ['tickets.tenant_id', 'tickets.id'], name=op.f('fk_attachments_tenant_id_ticket_id_tickets'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'uploaded_by_id'], ['staff.tenant_id', 'staff.id'], name=op.f('fk_attachments_tenant_id_uploaded_by_id_staff')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_attachments_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_attachments_tenant_id_id'))
    )
    op.create_index('ix_attachments_message', 'attachments', ['tenant_id', 'message_id'], unique=False)
    op.create_index(op.f('ix_attachments_tenant_id'), 'attachments', ['tenant_id'], unique=False)
    op.create_index('ix_attachments_ticket', 'attachments', ['tenant_id', 'ticket_id'], unique=False)

    for table in TABLES:
        enable_rls(op, table)
    full_text_search()


def full_text_search():
    """PostgreSQL: ``ticket_search`` holds each ticket's tsvector (subject and conversation,
    'russian' and 'english' combined) with a GIN index, kept current by the ticket service.
    It is a side table without row-level security on purpose: ``@@`` is not a leakproof
    operator, so under RLS PostgreSQL may not use the GIN index for it (the policy must be
    checked first) and every search would read all of a tenant's tickets. Searches always
    name the tenant and only ever return rows of ``tickets`` (which RLS guards), so no other
    tenant's ticket can come back. SQLite: an FTS5 table keyed by ticket id."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE TABLE ticket_search (
                ticket_id bigint PRIMARY KEY,
                tenant_id bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
                document tsvector NOT NULL,
                CONSTRAINT fk_ticket_search_ticket FOREIGN KEY (tenant_id, ticket_id)
                    REFERENCES tickets (tenant_id, id) ON DELETE CASCADE
            )""")
        op.execute("CREATE INDEX ix_ticket_search_document ON ticket_search USING gin (document)")
    else:
        op.execute("CREATE VIRTUAL TABLE tickets_fts USING fts5("
                   "body, tenant_id UNINDEXED, tokenize='unicode61 remove_diacritics 2')")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE IF EXISTS ticket_search")
    else:
        op.execute("DROP TABLE IF EXISTS tickets_fts")
    for table in reversed(TABLES):
        op.drop_table(table)
