"""Tenant-side billing changes: plan upgrades and downgrades, add-ons bought and dropped.

An upgrade takes effect at once and charges the day's price difference; a downgrade
waits for the next daily charge, since today is already paid for.
"""
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, select

from app.db_types import utcnow
from app.errors import Conflict, InsufficientBalance
from app.events.service import record_event
from app.extensions import db
from app.money import to_decimal_string
from app.settings_cache import settings_changed
from billing.catalog import (
    daily_cost,
    get_addon,
    get_plan,
    label,
    tenant_addon,
    tenant_plan,
)
from billing.ledger import post_entry
from billing.limits import _lock_tenant, release_deferred
from billing.models import LedgerEntry, PlanSchedule, TenantAddon


def billing_day() -> date:
    """Charges are per UTC calendar day (the daily charge runs at 00:00 UTC)."""
    return utcnow().date()


def _limits(plan) -> dict:
    return {"staff": plan.max_staff, "tickets_per_day": plan.tickets_per_day,
            "all_addons": plan.all_addons}


def pending_plan(tenant_id: int) -> PlanSchedule | None:
    return db.session.scalar(select(PlanSchedule).where(PlanSchedule.tenant_id == tenant_id))


def _charge(tenant, amount: int, kind: str, reference: str, details: dict) -> LedgerEntry | None:
    if amount <= 0:
        return None
    if tenant.balance < amount:
        raise InsufficientBalance(_("This costs %(amount)s today; top up the balance first.",
                                    amount=_format(amount, tenant.currency)))
    return post_entry(tenant_id=tenant.id, kind=kind, amount=-amount, reference=reference,
                      details=details)


def _format(amount: int, currency: str) -> str:
    return f"{to_decimal_string(amount)} {currency}"


def _refuse_while_suspended(tenant) -> None:
    # Money goes to paying the day first; new costs wait until the tenant is resumed.
    if tenant.suspended_at is not None:
        raise InsufficientBalance(_("The account is suspended: top up the balance first."))


def change_plan(*, actor, tenant_id: int, plan_name: str) -> dict:
    """Move the tenant to another plan.

    A dearer plan starts now: its limits apply at once, the day's price difference
    is charged, and deferred tickets the new quota allows are released. A cheaper
    plan is scheduled for the next daily charge. Returns what happened.
    """
    tenant = _lock_tenant(tenant_id)
    new = get_plan(plan_name)
    current = tenant_plan(tenant)
    scheduled = pending_plan(tenant_id)
    if new.name == current.name:
        if scheduled is not None:  # changing one's mind about a downgrade
            db.session.delete(scheduled)
            db.session.flush()
            record_event(actor, "billing.downgrade_cancelled", ("tenant", tenant_id),
                         {"plan": current.name, "was_scheduled": scheduled.plan})
            return {"status": "kept", "plan": current.name}
        raise Conflict(_("You are already on the %(plan)s plan.", plan=label(current)))
    old_cost, new_cost = daily_cost(tenant), daily_cost(tenant, plan=new)
    if new_cost.total < old_cost.total:
        effective = billing_day() + timedelta(days=1)
        if scheduled is None:
            scheduled = PlanSchedule(tenant_id=tenant_id, plan=new.name, effective_on=effective)
            db.session.add(scheduled)
        else:
            scheduled.plan, scheduled.effective_on = new.name, effective
        db.session.flush()
        record_event(actor, "billing.downgrade_scheduled", ("tenant", tenant_id), {
            "from": current.name, "to": new.name, "effective_on": effective.isoformat(),
            "limits_before": _limits(current), "limits_after": _limits(new)})
        return {"status": "scheduled", "plan": current.name, "pending_plan": new.name,
                "effective_on": effective.isoformat()}
    _refuse_while_suspended(tenant)
    day = billing_day()
    difference = new_cost.total - old_cost.total
    entry = _charge(tenant, difference, "plan_change", f"plan:{current.name}->{new.name}",
                    {"from": current.name, "to": new.name, "day": day.isoformat(),
                     "old_daily": old_cost.total, "new_daily": new_cost.total})
    tenant.plan = new.name
    if scheduled is not None:
        db.session.delete(scheduled)
    db.session.flush()
    settings_changed(tenant_id=tenant_id)
    record_event(actor, "billing.plan_changed", ("tenant", tenant_id), {
        "from": current.name, "to": new.name, "charged": difference if entry else 0,
        "limits_before": _limits(current), "limits_after": _limits(new)})
    released = release_deferred(tenant_id, actor=actor)
    return {"status": "changed", "plan": new.name, "charged": difference if entry else 0,
            "released": released}


def buy_addon(*, actor, tenant_id: int, addon_name: str) -> TenantAddon:
    """Buy an add-on: usable at once; today's price is charged now (once a day)."""
    tenant = _lock_tenant(tenant_id)
    addon = get_addon(addon_name)
    _refuse_while_suspended(tenant)
    if tenant_plan(tenant).all_addons:
        raise Conflict(_("Your plan already includes %(addon)s.", addon=label(addon)))
    exists = db.session.scalar(select(TenantAddon).where(
        TenantAddon.tenant_id == tenant_id, TenantAddon.addon == addon.name))
    if exists is not None:
        raise Conflict(_("%(addon)s is already active.", addon=label(addon)))
    day = billing_day()
    reference = f"addon:{addon.name}:{day.isoformat()}"
    already_paid = db.session.scalar(select(LedgerEntry.id).where(
        LedgerEntry.tenant_id == tenant_id, LedgerEntry.kind == "addon_charge",
        LedgerEntry.reference == reference))
    if already_paid is None:  # bought, dropped and bought again the same day: paid once
        _charge(tenant, addon.daily_price, "addon_charge", reference,
                {"addon": addon.name, "price": addon.daily_price, "day": day.isoformat()})
    row = TenantAddon(tenant_id=tenant_id, addon=addon.name)
    db.session.add(row)
    db.session.flush()
    settings_changed(tenant_id=tenant_id)
    record_event(actor, "billing.addon_bought", ("tenant", tenant_id),
                 {"addon": addon.name, "daily_price": addon.daily_price})
    return row


def drop_addon(*, actor, tenant_id: int, addon_name: str) -> None:
    """Drop an add-on: it stops now and is no longer charged from the next day."""
    _lock_tenant(tenant_id)
    row = tenant_addon(tenant_id, (addon_name or "").strip().lower())
    db.session.execute(delete(TenantAddon).where(TenantAddon.id == row.id))
    db.session.flush()
    settings_changed(tenant_id=tenant_id)
    record_event(actor, "billing.addon_dropped", ("tenant", tenant_id), {"addon": row.addon})
