"""The catalog: plans and add-ons (platform settings), what a tenant has, and feature gates."""
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.errors import NotFound, PlanLimit, ValidationFailed
from app.extensions import db
from app.settings_cache import settings_changed
from billing.models import Addon, Plan, TenantAddon
from tenants.models import Tenant

# Display names for the default catalog entries, so they follow the reader's language;
# entries the operator adds show their stored title.
LABELS = {
    "standard": _l("Standard"), "pro": _l("Pro"),
    "gmail": _l("Gmail integration"), "reports": _l("Reports and statistics"),
    "internal_mail": _l("Internal mail"),
}


def label(item: Plan | Addon) -> str:
    return str(LABELS.get(item.name, item.title))


def list_plans() -> list[Plan]:
    return list(db.session.scalars(select(Plan).order_by(Plan.position, Plan.daily_price)))


def list_addons() -> list[Addon]:
    return list(db.session.scalars(select(Addon).order_by(Addon.position, Addon.name)))


def get_plan(name: str) -> Plan:
    """The plan called ``name``; an unknown name is a 422 on the ``plan`` field."""
    plan = db.session.get(Plan, (name or "").strip().lower())
    if plan is None:
        names = ", ".join(p.name for p in list_plans())
        raise ValidationFailed(fields={"plan": _("Unknown plan; choose one of: %(values)s.",
                                                 values=names)})
    return plan


def get_addon(name: str) -> Addon:
    addon = db.session.get(Addon, (name or "").strip().lower())
    if addon is None:
        names = ", ".join(a.name for a in list_addons())
        raise ValidationFailed(fields={"addon": _("Unknown add-on; choose one of: %(values)s.",
                                                  values=names)})
    return addon


def tenant_plan(tenant: Tenant) -> Plan:
    plan = db.session.get(Plan, tenant.plan)
    if plan is None:  # the operator removed a plan still in use: fall back to the cheapest
        plan = list_plans()[0]
    return plan


def bought_addons(tenant_id: int) -> list[str]:
    """Names of the add-ons the tenant bought (the ORM guard keeps it to the current tenant)."""
    return list(db.session.scalars(
        select(TenantAddon.addon).where(TenantAddon.tenant_id == tenant_id)
        .order_by(TenantAddon.addon)))


def active_addons(tenant: Tenant) -> list[str]:
    """Add-ons the tenant can use now: all of them on a plan that includes them."""
    if tenant_plan(tenant).all_addons:
        return [a.name for a in list_addons()]
    return bought_addons(tenant.id)


def has_addon(tenant: Tenant, name: str) -> bool:
    return name in active_addons(tenant)


def require_addon(tenant: Tenant, name: str) -> None:
    """Gate a feature: raise 402 ``plan_limit`` naming the add-on and the plan that
    includes it when ``tenant`` may not use add-on ``name``. Other areas call this."""
    if has_addon(tenant, name):
        return
    addon = db.session.get(Addon, name)
    title = label(addon) if addon is not None else name
    lifting = [label(p) for p in list_plans() if p.all_addons]
    raise PlanLimit(_("%(feature)s is an add-on: buy it on the Billing page or move to "
                      "%(plan)s, which includes every add-on.", feature=title,
                      plan=" / ".join(lifting) or "Pro"))


@dataclass
class DailyCost:
    plan: Plan
    addons: list[Addon]

    @property
    def total(self) -> int:
        return self.plan.daily_price + sum(a.daily_price for a in self.addons)

    def itemized(self) -> dict:
        return {"plan": self.plan.name, "plan_price": self.plan.daily_price,
                "addons": [{"addon": a.name, "price": a.daily_price} for a in self.addons]}


def daily_cost(tenant: Tenant, *, plan: Plan | None = None,
               addons: list[str] | None = None) -> DailyCost:
    """What one day costs ``tenant`` (optionally on another plan or with other add-ons);
    add-ons are free on a plan that includes them all."""
    plan = plan or tenant_plan(tenant)
    if plan.all_addons:
        return DailyCost(plan, [])
    names = bought_addons(tenant.id) if addons is None else addons
    items = [db.session.get(Addon, n) for n in names]
    return DailyCost(plan, [a for a in items if a is not None])


def set_plan(*, name: str, title: str | None = None, daily_price: int | None = None,
             max_staff: int | None = None, tickets_per_day: int | None = None,
             all_addons: bool | None = None, position: int | None = None) -> Plan:
    """Operator: create or change a plan (prices in minor units)."""
    name = (name or "").strip().lower()
    if not name or len(name) > 40 or not name.replace("_", "").isalnum():
        raise ValidationFailed(fields={"name": _("Use 1–40 letters, digits or underscores.")})
    for field, value in (("daily_price", daily_price), ("max_staff", max_staff),
                         ("tickets_per_day", tickets_per_day)):
        if value is not None and value < 0:
            raise ValidationFailed(fields={field: _("Must not be negative.")})
    plan = db.session.get(Plan, name)
    if plan is None:
        if daily_price is None or max_staff is None or tickets_per_day is None:
            raise ValidationFailed(fields={"name": _(
                "A new plan needs a price, a staff limit and a daily ticket limit.")})
        plan = Plan(name=name, title=title or name.title(), daily_price=daily_price,
                    max_staff=max_staff, tickets_per_day=tickets_per_day,
                    all_addons=bool(all_addons), position=position or 0)
        db.session.add(plan)
    else:
        for attr, value in (("title", title), ("daily_price", daily_price),
                            ("max_staff", max_staff), ("tickets_per_day", tickets_per_day),
                            ("all_addons", all_addons), ("position", position)):
            if value is not None:
                setattr(plan, attr, value)
    db.session.flush()
    settings_changed(catalog=True)
    return plan


def set_addon(*, name: str, title: str | None = None, daily_price: int | None = None,
              position: int | None = None) -> Addon:
    """Operator: create or change an add-on (price in minor units)."""
    name = (name or "").strip().lower()
    if not name or len(name) > 40 or not name.replace("_", "").isalnum():
        raise ValidationFailed(fields={"name": _("Use 1–40 letters, digits or underscores.")})
    if daily_price is not None and daily_price < 0:
        raise ValidationFailed(fields={"daily_price": _("Must not be negative.")})
    addon = db.session.get(Addon, name)
    if addon is None:
        if daily_price is None:
            raise ValidationFailed(fields={"daily_price": _("A new add-on needs a price.")})
        addon = Addon(name=name, title=title or name.title(), daily_price=daily_price,
                      position=position or 0)
        db.session.add(addon)
    else:
        for attr, value in (("title", title), ("daily_price", daily_price),
                            ("position", position)):
            if value is not None:
                setattr(addon, attr, value)
    db.session.flush()
    settings_changed(catalog=True)
    return addon


def tenant_addon(tenant_id: int, name: str) -> TenantAddon:
    row = db.session.scalar(select(TenantAddon).where(
        TenantAddon.tenant_id == tenant_id, TenantAddon.addon == name))
    if row is None:
        raise NotFound(_("This add-on is not active."))
    return row
