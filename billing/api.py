"""API: the tenant's billing — balance, plan, add-ons, ledger, top-ups."""
from flask_babel import get_locale
from pydantic import BaseModel, Field

from app.api.core import endpoint
from app.api.limits import MAX_CHOICE, scalar
from app.money import to_decimal_string
from billing import service
from billing.catalog import (
    active_addons,
    bought_addons,
    daily_cost,
    label,
    list_addons,
    list_plans,
    tenant_plan,
)
from billing.ledger import recent_entries
from billing.limits import usage
from billing.topups import start_topup, validate_amount
from tenants.models import Tenant
from tenants.resolve import current_tenant


class PlanIn(BaseModel):
    plan: str = Field(max_length=40)


class AddonIn(BaseModel):
    addon: str = Field(max_length=40)


# "500.00", 500 or 500.5; validate_amount explains what is wrong with any other value.
Amount = scalar(MAX_CHOICE)


class TopupIn(BaseModel):
    amount: Amount = None


class LedgerQuery(BaseModel):
    limit: int = Field(50, ge=1, le=100)


class LedgerLine(BaseModel):
    at: str
    kind: str
    amount: str
    balance_after: str
    reference: str
    details: dict


class AddonOut(BaseModel):
    name: str
    title: str
    daily_price: str
    active: bool
    included: bool


class PlanOut(BaseModel):
    name: str
    title: str
    daily_price: str
    staff: int
    tickets_per_day: int
    all_addons: bool


class BillingOut(BaseModel):
    plan: str
    pending_plan: dict | None
    balance: str
    currency: str
    suspended: bool
    daily_cost: str
    days_left: int | None
    limits: dict
    usage: dict
    addons: list[AddonOut]
    plans: list[PlanOut]
    ledger: list[LedgerLine]


class PlanChangeOut(BaseModel):
    status: str
    plan: str
    pending_plan: str | None = None
    effective_on: str | None = None
    charged: str | None = None
    released: int | None = None


class TopupOut(BaseModel):
    checkout_url: str
    session_id: str


def plan_json(plan) -> dict:
    return {"name": plan.name, "title": label(plan), "daily_price": to_decimal_string(
        plan.daily_price), "staff": plan.max_staff, "tickets_per_day": plan.tickets_per_day,
        "all_addons": plan.all_addons}


def ledger_json(entry) -> dict:
    return {"at": entry.at.isoformat(), "kind": entry.kind,
            "amount": to_decimal_string(entry.amount),
            "balance_after": to_decimal_string(entry.balance_after),
            "reference": entry.reference, "details": entry.details or {}}


def billing_json(tenant: Tenant, limit: int = 50) -> dict:
    plan = tenant_plan(tenant)
    cost = daily_cost(tenant).total
    bought = set(bought_addons(tenant.id))
    pending = service.pending_plan(tenant.id)
    return {
        "plan": plan.name,
        "pending_plan": {"plan": pending.plan, "effective_on": pending.effective_on.isoformat()}
        if pending else None,
        "balance": to_decimal_string(tenant.balance), "currency": tenant.currency,
        "suspended": tenant.suspended_at is not None,
        "daily_cost": to_decimal_string(cost),
        "days_left": max(tenant.balance, 0) // cost if cost else None,
        "limits": {"staff": plan.max_staff, "tickets_per_day": plan.tickets_per_day},
        "usage": usage(tenant),
        "addons": [{"name": a.name, "title": label(a),
                    "daily_price": to_decimal_string(a.daily_price),
                    "active": plan.all_addons or a.name in bought,
                    "included": plan.all_addons} for a in list_addons()],
        "plans": [plan_json(p) for p in list_plans()],
        "ledger": [ledger_json(e) for e in recent_entries(tenant.id, limit)],
    }


def tenant_details(_app, *, tenant: Tenant, out: dict) -> None:
    """Receiver of ``tenant_summary`` (``GET /api/v1/tenant``): the plan's limits, the day's
    usage, add-ons."""
    plan = tenant_plan(tenant)
    out["limits"] = {"staff": plan.max_staff, "tickets_per_day": plan.tickets_per_day}
    out["usage"] = out.get("usage", {}) | usage(tenant)
    out["addons"] = active_addons(tenant)


@endpoint("/billing", "GET", summary="Balance, plan, add-ons and the payment history",
          tag="billing", query=LedgerQuery, response=BillingOut, roles=("admin",))
def get_billing(staff, query: LedgerQuery):
    return billing_json(current_tenant(), query.limit)


@endpoint("/billing/plan", "POST", summary="Change plan (upgrade now, downgrade tomorrow)",
          tag="billing", body=PlanIn, response=PlanChangeOut, roles=("admin",),
          errors=(402, 409, 422))
def change_plan(staff, data: PlanIn):
    result = service.change_plan(actor=staff, tenant_id=staff.tenant_id, plan_name=data.plan)
    if "charged" in result:
        result["charged"] = to_decimal_string(result["charged"])
    return result


@endpoint("/billing/addons", "POST", summary="Buy an add-on", tag="billing", body=AddonIn,
          response=AddonOut, status=201, roles=("admin",), errors=(402, 409, 422))
def buy_addon(staff, data: AddonIn):
    row = service.buy_addon(actor=staff, tenant_id=staff.tenant_id, addon_name=data.addon)
    addon = next(a for a in list_addons() if a.name == row.addon)
    return {"name": addon.name, "title": label(addon),
            "daily_price": to_decimal_string(addon.daily_price), "active": True,
            "included": False}, 201


@endpoint("/billing/addons/<addon>", "DELETE", summary="Drop an add-on", tag="billing",
          status=204, roles=("admin",), errors=(404,))
def drop_addon(staff, addon: str):
    service.drop_addon(actor=staff, tenant_id=staff.tenant_id, addon_name=addon)


@endpoint("/billing/topups", "POST", summary="Start a top-up through Stripe Checkout",
          tag="billing", body=TopupIn, response=TopupOut, status=201, roles=("admin",),
          errors=(422, 502, 503))
def create_topup(staff, data: TopupIn):
    tenant = current_tenant()
    amount = validate_amount(data.amount, currency=tenant.currency,
                             locale=str(get_locale() or "en"))
    topup = start_topup(actor=staff, tenant=tenant, amount=amount)
    return {"checkout_url": topup.checkout_url, "session_id": topup.session_id}, 201
