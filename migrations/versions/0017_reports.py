"""reports: daily and monthly rollups of the ticket figures, their refresh state, and the
indexes the rollups and the dashboard read by

Revision ID: 0017
Revises: 0014

``report_rollups`` holds, per tenant, day (or week, or month) of the tenant's calendar, dimension
(all, department, agent, type, priority, channel; author for staff messages) and key, the counts and the duration
histograms the reports add up (see ``app/reports/rollup.py`` for why rollups and not
aggregates over the tickets). A histogram is ``bytea`` of a fixed layout — little-endian
32-bit counts per bucket, trailing empty buckets left out (``app/reports/histogram.py``) —
which a report decodes a few hundred at a time with one numpy call, where JSON objects had
to be parsed and merged key by key. Both tables are tenant tables under forced row-level
security, keyed by ``tenant_id`` first.

The ticket indexes serve the rollup refresh (one day's tickets by creation, first response
and resolution) and the dashboard's "today"; the messages index serves the staff activity
statistics (a day's replies and notes per person, for the rollups and for today, and each
person's last message); the events index finds a day's reopenings. The messages index
carries ``author_kind`` and ``internal``, so counting a day's replies and notes is an
index-only scan.
"""
import sqlalchemy as sa
from alembic import op

from tenants.rls import enable_rls

revision = "0017"
down_revision = "0014"
branch_labels = None
depends_on = None

NOW = sa.DateTime(timezone=True)


def _table(name: str, *columns, constraints=()) -> None:
    op.create_table(
        name,
        sa.Column("tenant_id", sa.BigInteger(), nullable=False),
        *columns,
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE",
                                name=op.f(f"fk_{name}_tenant_id_tenants")),
        *constraints,
    )
    op.create_index(op.f(f"ix_{name}_tenant_id"), name, ["tenant_id"])
    enable_rls(op, name)


def upgrade():
    _table(
        "report_rollups",
        sa.Column("span", sa.String(length=8), nullable=False),
        sa.Column("dimension", sa.String(length=16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("received", sa.Integer(), nullable=False),
        sa.Column("resolved", sa.Integer(), nullable=False),
        sa.Column("reopened", sa.Integer(), nullable=False),
        sa.Column("sla_total", sa.Integer(), nullable=False),
        sa.Column("sla_met", sa.Integer(), nullable=False),
        sa.Column("ratings", sa.Integer(), nullable=False),
        sa.Column("rating_sum", sa.Integer(), nullable=False),
        sa.Column("replies", sa.Integer(), nullable=False),
        sa.Column("notes", sa.Integer(), nullable=False),
        sa.Column("first_response", sa.LargeBinary(), nullable=False),
        sa.Column("resolution", sa.LargeBinary(), nullable=False),
        constraints=[
            sa.PrimaryKeyConstraint("tenant_id", "span", "dimension", "day", "key",
                                    name=op.f("pk_report_rollups")),
            sa.CheckConstraint("span IN ('day', 'week', 'month')", name=op.f("ck_report_rollups_span")),
        ],
    )
    _table(
        "report_states",
        sa.Column("built_at", NOW, nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        constraints=[sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_report_states"))],
    )
    for column in ("created_at", "first_response_at", "resolved_at"):
        op.create_index(f"ix_tickets_{column}", "tickets", ["tenant_id", column])
    op.create_index("ix_messages_staff_at", "messages", ["tenant_id", "staff_id", "created_at"],
                    postgresql_include=["author_kind", "internal"],
                    postgresql_where=sa.text("staff_id IS NOT NULL"),
                    sqlite_where=sa.text("staff_id IS NOT NULL"))
    op.create_index("ix_events_action_at", "events", ["tenant_id", "action", "at"])


def downgrade():
    op.drop_index("ix_events_action_at", table_name="events")
    op.drop_index("ix_messages_staff_at", table_name="messages")
    for column in ("created_at", "first_response_at", "resolved_at"):
        op.drop_index(f"ix_tickets_{column}", table_name="tickets")
    op.drop_table("report_states")
    op.drop_table("report_rollups")
