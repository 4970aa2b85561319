"""Banners on every staff page: suspended, requests waiting over the quota, low balance."""
from flask import get_template_attribute
from flask_login import current_user

from billing.catalog import daily_cost, label, list_plans, tenant_plan
from billing.charging import WARN_DAYS
from billing.limits import deferred_count
from tenants.resolve import current_tenant


def billing_banners() -> list[dict]:
    tenant = current_tenant()
    if tenant is None:
        return []
    admin = current_user.role == "admin"
    macro = lambda name: get_template_attribute("billing/_banners.html", name)  # noqa: E731
    if tenant.suspended_at is not None:
        return [{"kind": "danger", "html": macro("suspended")(tenant=tenant, admin=admin)}]
    banners = []
    if admin:
        waiting = deferred_count(tenant.id)
        if waiting:
            plan = tenant_plan(tenant)
            bigger = [p for p in list_plans() if p.tickets_per_day > plan.tickets_per_day]
            lift = min(bigger, key=lambda p: p.daily_price) if bigger else None
            banners.append({"kind": "warning", "html": macro("deferred")(
                waiting=waiting, plan=plan, plan_label=label(plan), bigger=lift,
                bigger_label=label(lift) if lift else "")})
        cost = daily_cost(tenant).total
        if cost and tenant.balance // cost < WARN_DAYS:
            banners.append({"kind": "warning", "html": macro("running_low")(
                tenant=tenant, days=tenant.balance // cost)})
    return banners
