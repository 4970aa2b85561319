"""The ledger: every credit and charge, and the balance that is always their sum."""
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from app.errors import ValidationFailed
from app.events.service import record_event
from app.extensions import db
from billing.models import LedgerEntry
from tenants.models import Tenant


def post_entry(*, tenant_id: int, kind: str, amount: int, reference: str = "",
               details: dict | None = None, charge_date: date | None = None) -> LedgerEntry:
    """Add an entry and move the stored balance in the same transaction.

    The balance is changed with one atomic ``UPDATE … RETURNING``, so parallel
    entries can never lose each other's amounts.
    """
    row = db.session.execute(
        update(Tenant)
        .where(Tenant.id == tenant_id)
        .values(balance=Tenant.balance + amount)
        .returning(Tenant.balance, Tenant.currency)
    ).one()
    entry = LedgerEntry(
        tenant_id=tenant_id, kind=kind, amount=amount, balance_after=row.balance,
        currency=row.currency, reference=reference, details=details or {},
        charge_date=charge_date,
    )
    db.session.add(entry)
    db.session.flush()
    tenant = db.session.get(Tenant, tenant_id)
    if tenant is not None:
        db.session.refresh(tenant, ["balance"])
    return entry


def ledger_sum(tenant_id: int) -> int:
    return db.session.scalar(
        select(func.coalesce(func.sum(LedgerEntry.amount), 0)).where(
            LedgerEntry.tenant_id == tenant_id
        )
    )


def check_invariant(tenant_ids: list[int] | None = None) -> list[tuple[int, int, int]]:
    """Tenants whose stored balance differs from their ledger's sum: (id, balance, sum)."""
    sums = (
        select(LedgerEntry.tenant_id, func.sum(LedgerEntry.amount).label("total"))
        .group_by(LedgerEntry.tenant_id)
        .subquery()
    )
    stmt = select(Tenant.id, Tenant.balance, func.coalesce(sums.c.total, 0)).outerjoin(
        sums, sums.c.tenant_id == Tenant.id
    ).where(Tenant.balance != func.coalesce(sums.c.total, 0))
    if tenant_ids is not None:
        stmt = stmt.where(Tenant.id.in_(tenant_ids))
    return [tuple(r) for r in db.session.execute(stmt)]


def adjust_balance(*, actor, tenant_id: int, amount: int, reason: str) -> LedgerEntry:
    """Operator: credit (positive) or debit (negative) a tenant with a stated reason."""
    reason = (reason or "").strip()
    fields = {}
    if not reason:
        fields["reason"] = _("Give a reason for the adjustment.")
    elif len(reason) > 200:
        fields["reason"] = _("Keep the reason under 200 characters.")
    if amount == 0:
        fields["amount"] = _("The amount must not be zero.")
    if fields:
        raise ValidationFailed(fields=fields)
    entry = post_entry(tenant_id=tenant_id, kind="adjustment", amount=amount, reference=reason,
                       details={"reason": reason, "by": actor or "operator"})
    record_event({"type": "operator", "name": actor or "operator"}, "billing.adjusted",
                 ("ledger_entry", entry.id), {"amount": amount, "reason": reason,
                                              "balance_after": entry.balance_after},
                 tenant_id=tenant_id)
    return entry


def recent_entries(tenant_id: int, limit: int = 50, before_id: int | None = None):
    """The newest ledger entries of a tenant (the payment history), newest first."""
    stmt = select(LedgerEntry).where(LedgerEntry.tenant_id == tenant_id)
    if before_id is not None:
        stmt = stmt.where(LedgerEntry.id < before_id)
    return list(db.session.scalars(stmt.order_by(LedgerEntry.id.desc()).limit(limit)))
