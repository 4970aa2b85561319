"""The ledger: every credit and charge, and the balance that is always their sum."""
from sqlalchemy import func, select, update

from app.extensions import db
from billing.models import LedgerEntry
from tenants.models import Tenant


def post_entry(*, tenant_id: int, kind: str, amount: int, reference: str = "",
               details: dict | None = None) -> LedgerEntry:
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
