"""Suspension: a tenant whose balance cannot pay the day can read but not change anything.

The request guard answers 402 ``insufficient_balance`` to every changing request
from staff (pages and API) except the ones that lead out of it: billing, top-ups,
logging in and out. Customers' widget and mail requests are not staff requests and
keep arriving; the ticket desk defers them (see ``limits.admit_ticket``).
"""
from flask import g, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select

from app.db_types import utcnow
from app.errors import InsufficientBalance, ValidationFailed
from app.events.service import record_event
from app.extensions import db
from billing.catalog import daily_cost
from billing.ledger import post_entry
from billing.limits import _lock_tenant, release_deferred
from billing.models import LedgerEntry
from billing.service import billing_day
from tenants import context
from tenants.resolve import tenant_row

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
STAFF_PREFIXES = ("/api/", "/app/")
# Ways out of a suspension stay open.
EXEMPT_PREFIXES = ("/api/v1/billing", "/app/billing", "/api/v1/tokens", "/api/v1/signup",
                   "/billing/stripe/")


def is_suspended(tenant_id: int) -> bool:
    tenant = tenant_row(tenant_id)  # the request's one read of it, reused by the quota and SLA
    return tenant is not None and tenant.suspended_at is not None


def suspension_guard():
    """``before_request``: refuse staff changes while the tenant is suspended."""
    if request.method in SAFE_METHODS or not request.path.startswith(STAFF_PREFIXES):
        return None
    if request.path.startswith(EXEMPT_PREFIXES):
        return None
    tenant_id = context.current_tenant_id()
    if tenant_id is None or not is_suspended(tenant_id):
        return None
    if request.path.startswith("/api/"):
        raise InsufficientBalance()
    g.suspended_refusal = True
    return render_template("billing/suspended.html"), 402


def resume_if_covered(tenant_id: int, *, actor=None) -> bool:
    """Resume a suspended tenant whose balance now pays today: charge today (once) and
    release the tickets that waited. Returns whether the tenant was resumed."""
    tenant = _lock_tenant(tenant_id)
    if tenant.suspended_at is None or tenant.operator_hold:
        return False
    day = billing_day()
    cost = daily_cost(tenant)
    paid_today = db.session.scalar(select(LedgerEntry.id).where(
        LedgerEntry.tenant_id == tenant_id, LedgerEntry.kind == "daily_charge",
        LedgerEntry.charge_date == day)) is not None
    if not paid_today:
        if tenant.balance < cost.total:
            return False
        post_entry(tenant_id=tenant_id, kind="daily_charge", amount=-cost.total,
                   reference=f"day {day.isoformat()}", charge_date=day,
                   details=cost.itemized() | {"day": day.isoformat(), "on_resume": True})
    tenant.suspended_at = None
    db.session.flush()
    record_event(actor, "billing.resumed", ("tenant", tenant_id), {"day": day.isoformat()},
                 tenant_id=tenant_id)
    release_deferred(tenant_id, actor=actor)
    return True


def hold(tenant_id: int, *, actor, reason: str) -> bool:
    """Operator: suspend a tenant until the operator resumes it (abuse, a dispute). Staff
    can read but not work, customers' requests wait, and neither a top-up nor the daily
    charge (which skips it) lifts it. Returns False if it was already held."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(fields={"reason": _("Give a reason for the suspension.")})
    if len(reason) > 200:
        raise ValidationFailed(fields={"reason": _("Keep the reason under 200 characters.")})
    tenant = _lock_tenant(tenant_id)
    if tenant.operator_hold:
        return False
    tenant.operator_hold = True
    tenant.suspended_at = tenant.suspended_at or utcnow()
    db.session.flush()
    record_event(actor, "billing.held", ("tenant", tenant_id), {"reason": reason},
                 tenant_id=tenant_id)
    return True


def release_hold(tenant_id: int, *, actor) -> bool:
    """Operator: lift the operator's hold, then resume the tenant if its balance pays today
    (as a top-up would). Returns whether the tenant is active again; if the balance does not
    cover the day it stays suspended for the balance, as any tenant would."""
    tenant = _lock_tenant(tenant_id)
    if tenant.operator_hold:
        tenant.operator_hold = False
        db.session.flush()
        record_event(actor, "billing.hold_lifted", ("tenant", tenant_id), {},
                     tenant_id=tenant_id)
    if tenant.suspended_at is None:
        return True
    return resume_if_covered(tenant_id, actor=actor)
