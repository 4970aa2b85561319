"""Billing tables: the catalog (global), the ledger, add-on subscriptions, quotas, top-ups.

Plans and add-ons are platform settings shared by every tenant, so they carry no
tenant_id and no row-level security. Everything a tenant owns is ``TenantScoped``
and walled by RLS in the migration.
"""
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import Id, Json, UtcDateTime, utcnow
from app.extensions import db
from tenants.scoping import TenantScoped

LEDGER_KINDS = ("trial_credit", "daily_charge", "plan_change", "addon_charge", "topup",
                "adjustment")
TOPUP_STATUSES = ("pending", "processing", "paid", "failed", "expired")


def _in(values) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


class Plan(db.Model):
    """A plan of the catalog: its daily price (minor units) and limits. Platform-wide."""

    __tablename__ = "plans"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    daily_price: Mapped[int] = mapped_column(BigInteger)
    max_staff: Mapped[int] = mapped_column(Integer)
    tickets_per_day: Mapped[int] = mapped_column(Integer)
    all_addons: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Addon(db.Model):
    """An add-on of the catalog (a gated feature) with its daily price. Platform-wide."""

    __tablename__ = "addons"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    daily_price: Mapped[int] = mapped_column(BigInteger)
    position: Mapped[int] = mapped_column(Integer, default=0)


class LedgerEntry(TenantScoped, db.Model):
    """One credit (positive) or charge (negative) in integer minor units.

    ``charge_date`` is set on daily charges only; the unique (tenant, kind, date)
    constraint is what makes the daily charge run idempotent.
    """

    __tablename__ = "ledger_entries"
    __table_args__ = (
        Index("ix_ledger_entries_tenant_at", "tenant_id", "id"),
        UniqueConstraint("tenant_id", "kind", "charge_date", name="uq_ledger_entries_charge"),
        CheckConstraint(f"kind IN {_in(LEDGER_KINDS)}", name="kind"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(20))
    amount: Mapped[int] = mapped_column(BigInteger)
    balance_after: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    reference: Mapped[str] = mapped_column(String(200), default="")
    details: Mapped[dict] = mapped_column(Json, default=dict)
    charge_date: Mapped[date | None] = mapped_column(Date)


class TenantAddon(TenantScoped, db.Model):
    """An add-on the tenant has bought (on plans that do not include every add-on)."""

    __tablename__ = "tenant_addons"
    __table_args__ = (UniqueConstraint("tenant_id", "id"), UniqueConstraint("tenant_id", "addon"))

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    addon: Mapped[str] = mapped_column(String(40), ForeignKey("addons.name"))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class TicketQuota(TenantScoped, db.Model):
    """Tickets admitted on one day (in the tenant's time zone); raised atomically."""

    __tablename__ = "ticket_quotas"
    __table_args__ = (UniqueConstraint("tenant_id", "id"), UniqueConstraint("tenant_id", "day"))

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    used: Mapped[int] = mapped_column(Integer, default=0)


class PlanSchedule(TenantScoped, db.Model):
    """A downgrade waiting for the next day's charge (one per tenant)."""

    __tablename__ = "plan_schedules"
    __table_args__ = (UniqueConstraint("tenant_id", "id"), UniqueConstraint("tenant_id"))

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    plan: Mapped[str] = mapped_column(String(40), ForeignKey("plans.name"))
    effective_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Topup(TenantScoped, db.Model):
    """A Stripe Checkout Session for a top-up; ``credited_at`` guards the single credit."""

    __tablename__ = "topups"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "session_id"),
        CheckConstraint(f"status IN {_in(TOPUP_STATUSES)}", name="status"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    session_id: Mapped[str] = mapped_column(String(255), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(12), default="pending")
    checkout_url: Mapped[str] = mapped_column(String(2000), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    credited_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class StripeEvent(db.Model):
    """Every Stripe event id processed, once. Platform-wide: events arrive before any
    tenant is known; the row is written in the same transaction as its credit."""

    __tablename__ = "stripe_events"

    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    type: Mapped[str] = mapped_column(String(100))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    tenant_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("tenants.id", ondelete="SET NULL"))
    outcome: Mapped[str] = mapped_column(String(40), default="")
