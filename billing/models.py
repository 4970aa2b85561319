from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import Id, Json, UtcDateTime, utcnow
from app.extensions import db
from tenants.scoping import TenantScoped

LEDGER_KINDS = ("trial_credit", "daily_charge", "plan_change", "topup", "adjustment")


class LedgerEntry(TenantScoped, db.Model):
    """One credit (positive) or charge (negative) in integer minor units."""

    __tablename__ = "ledger_entries"
    __table_args__ = (
        Index("ix_ledger_entries_tenant_at", "tenant_id", "id"),
        CheckConstraint(
            "kind IN ('trial_credit', 'daily_charge', 'plan_change', 'topup', 'adjustment')",
            name="kind",
        ),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(20))
    amount: Mapped[int] = mapped_column(BigInteger)
    balance_after: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    reference: Mapped[str] = mapped_column(String(200), default="")
    details: Mapped[dict] = mapped_column(Json, default=dict)
