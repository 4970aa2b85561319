"""billing: plan and add-on catalog, add-on subscriptions, ticket quotas, top-ups, Stripe events

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-27 08:30:00

"""
from alembic import op
import sqlalchemy as sa

from tenants.rls import enable_rls

revision = "0004"
down_revision = "0001"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
NEW_KINDS = ("trial_credit", "daily_charge", "plan_change", "addon_charge", "topup", "adjustment")
OLD_KINDS = ("trial_credit", "daily_charge", "plan_change", "topup", "adjustment")


def _kinds(values) -> str:
    return "kind IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def _tenant_fk(table: str):
    return sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"],
                                   name=f"fk_{table}_tenant_id_tenants", ondelete="CASCADE")


def upgrade():
    plans = op.create_table(
        "plans",
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("daily_price", sa.BigInteger(), nullable=False),
        sa.Column("max_staff", sa.Integer(), nullable=False),
        sa.Column("tickets_per_day", sa.Integer(), nullable=False),
        sa.Column("all_addons", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_plans"),
    )
    addons = op.create_table(
        "addons",
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("daily_price", sa.BigInteger(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_addons"),
    )
    op.bulk_insert(plans, [
        {"name": "standard", "title": "Standard", "daily_price": 500, "max_staff": 2,
         "tickets_per_day": 10, "all_addons": False, "position": 1},
        {"name": "pro", "title": "Pro", "daily_price": 1000, "max_staff": 20,
         "tickets_per_day": 500, "all_addons": True, "position": 2},
    ])
    op.bulk_insert(addons, [
        {"name": "gmail", "title": "Gmail integration", "daily_price": 200, "position": 1},
        {"name": "reports", "title": "Reports and statistics", "daily_price": 100, "position": 2},
        {"name": "internal_mail", "title": "Internal mail", "daily_price": 100, "position": 3},
    ])

    with op.batch_alter_table("ledger_entries") as batch:
        batch.add_column(sa.Column("charge_date", sa.Date(), nullable=True))
        batch.drop_constraint(op.f("ck_ledger_entries_kind"), type_="check")
        batch.create_check_constraint(op.f("ck_ledger_entries_kind"), _kinds(NEW_KINDS))
        batch.create_unique_constraint(op.f("uq_ledger_entries_charge"),
                                       ["tenant_id", "kind", "charge_date"])

    op.create_table(
        "tenant_addons",
        sa.Column("id", Id, nullable=False),
        sa.Column("addon", sa.String(40), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["addon"], ["addons.name"], name="fk_tenant_addons_addon_addons"),
        _tenant_fk("tenant_addons"),
        sa.PrimaryKeyConstraint("id", name="pk_tenant_addons"),
        sa.UniqueConstraint("tenant_id", "id", name="uq_tenant_addons_tenant_id_id"),
        sa.UniqueConstraint("tenant_id", "addon", name="uq_tenant_addons_tenant_id_addon"),
    )
    op.create_index("ix_tenant_addons_tenant_id", "tenant_addons", ["tenant_id"])

    op.create_table(
        "ticket_quotas",
        sa.Column("id", Id, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("used", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.BigInteger(), nullable=False),
        _tenant_fk("ticket_quotas"),
        sa.PrimaryKeyConstraint("id", name="pk_ticket_quotas"),
        sa.UniqueConstraint("tenant_id", "id", name="uq_ticket_quotas_tenant_id_id"),
        sa.UniqueConstraint("tenant_id", "day", name="uq_ticket_quotas_tenant_id_day"),
    )
    op.create_index("ix_ticket_quotas_tenant_id", "ticket_quotas", ["tenant_id"])

    op.create_table(
        "plan_schedules",
        sa.Column("id", Id, nullable=False),
        sa.Column("plan", sa.String(40), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["plan"], ["plans.name"], name="fk_plan_schedules_plan_plans"),
        _tenant_fk("plan_schedules"),
        sa.PrimaryKeyConstraint("id", name="pk_plan_schedules"),
        sa.UniqueConstraint("tenant_id", "id", name="uq_plan_schedules_tenant_id_id"),
        sa.UniqueConstraint("tenant_id", name="uq_plan_schedules_tenant_id"),
    )

    op.create_table(
        "topups",
        sa.Column("id", Id, nullable=False),
        sa.Column("session_id", sa.String(255), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("checkout_url", sa.String(2000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("credited_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("tenant_id", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("status IN ('pending', 'processing', 'paid', 'failed', 'expired')",
                           name="ck_topups_status"),
        sa.CheckConstraint("amount > 0", name="ck_topups_amount_positive"),
        _tenant_fk("topups"),
        sa.PrimaryKeyConstraint("id", name="pk_topups"),
        sa.UniqueConstraint("tenant_id", "id", name="uq_topups_tenant_id_id"),
        sa.UniqueConstraint("tenant_id", "session_id", name="uq_topups_tenant_id_session_id"),
    )
    op.create_index("ix_topups_tenant_id", "topups", ["tenant_id"])
    op.create_index("ix_topups_session_id", "topups", ["session_id"])

    op.create_table(
        "stripe_events",
        sa.Column("id", sa.String(255), nullable=False),
        sa.Column("type", sa.String(100), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.BigInteger(), nullable=True),
        sa.Column("outcome", sa.String(40), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"],
                                name="fk_stripe_events_tenant_id_tenants", ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_stripe_events"),
    )

    for table in ("tenant_addons", "ticket_quotas", "plan_schedules", "topups"):
        enable_rls(op, table)


def downgrade():
    for table in ("stripe_events", "topups", "plan_schedules", "ticket_quotas", "tenant_addons"):
        op.drop_table(table)
    op.execute("DELETE FROM ledger_entries WHERE kind = 'addon_charge'")
    with op.batch_alter_table("ledger_entries") as batch:
        batch.drop_constraint(op.f("uq_ledger_entries_charge"), type_="unique")
        batch.drop_constraint(op.f("ck_ledger_entries_kind"), type_="check")
        batch.create_check_constraint(op.f("ck_ledger_entries_kind"), _kinds(OLD_KINDS))
        batch.drop_column("charge_date")
    op.drop_table("addons")
    op.drop_table("plans")
