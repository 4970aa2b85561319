"""Pages: the billing page (balance, plan, add-ons, top-up, payment history), the Stripe
return pages, and the page a gated feature sends people to."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField

from app.errors import ServiceError
from app.extensions import db
from app.formatting import local_date
from app.ui import apply_form_errors, staff_page
from billing import service
from billing.catalog import (
    bought_addons,
    daily_cost,
    get_addon,
    get_plan,
    label,
    list_addons,
    list_plans,
    tenant_plan,
)
from billing.ledger import recent_entries
from billing.limits import usage
from billing.topups import get_topup, reconcile, start_topup, validate_amount
from tenants.resolve import current_tenant

bp = Blueprint("billing", __name__, url_prefix="/app/billing")


LEDGER_KIND_LABELS = {
    "trial_credit": _l("Trial credit"), "daily_charge": _l("Daily charge"),
    "plan_change": _l("Plan upgrade"), "addon_charge": _l("Add-on"),
    "topup": _l("Top-up"), "adjustment": _l("Adjustment"),
}


class TopupForm(FlaskForm):
    amount = StringField(_l("Amount"))


def _render(form: TopupForm | None = None, status: int = 200):
    tenant = current_tenant()
    plan = tenant_plan(tenant)
    cost = daily_cost(tenant)
    bought = set(bought_addons(tenant.id))
    return render_template(
        "billing/index.html", tenant=tenant, form=form or TopupForm(), plan=plan, cost=cost,
        days_left=max(tenant.balance, 0) // cost.total if cost.total else None,
        pending=service.pending_plan(tenant.id), plans=list_plans(), label=label,
        plan_labels={p.name: label(p) for p in list_plans()},
        addon_labels={a.name: label(a) for a in list_addons()},
        addons=[(a, plan.all_addons or a.name in bought) for a in list_addons()],
        usage=usage(tenant), entries=recent_entries(tenant.id, 100),
        kinds=LEDGER_KIND_LABELS), status


@bp.get("/")
@staff_page("admin")
def index():
    return _render()


@bp.post("/plan")
@staff_page("admin")
def change_plan():
    try:
        result = service.change_plan(actor=current_user, tenant_id=current_user.tenant_id,
                                     plan_name=request.form.get("plan", ""))
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc.fields.get("plan") or exc.message), "error")
        return redirect(url_for(".index"))
    if result["status"] == "scheduled":
        flash(_("The plan changes to %(plan)s on %(day)s; today stays as it is.",
                plan=label(get_plan(result["pending_plan"])),
                day=local_date(result["effective_on"])),
              "success")
    elif result["status"] == "kept":
        flash(_("The planned change is cancelled."), "success")
    else:
        flash(_("You are now on the %(plan)s plan.", plan=label(get_plan(result["plan"]))),
              "success")
        if result.get("released"):
            flash(ngettext("%(num)d waiting request was released to the inbox.",
                           "%(num)d waiting requests were released to the inbox.",
                           result["released"]), "success")
    return redirect(url_for(".index"))


@bp.post("/addons")
@staff_page("admin")
def buy_addon():
    try:
        row = service.buy_addon(actor=current_user, tenant_id=current_user.tenant_id,
                                addon_name=request.form.get("addon", ""))
        flash(_("%(addon)s is active.", addon=label(get_addon(row.addon))), "success")
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc.fields.get("addon") or exc.message), "error")
    return redirect(url_for(".index"))


@bp.post("/addons/<addon>/drop")
@staff_page("admin")
def drop_addon(addon: str):
    service.drop_addon(actor=current_user, tenant_id=current_user.tenant_id, addon_name=addon)
    flash(_("The add-on is dropped."), "success")
    return redirect(url_for(".index"))


@bp.post("/topup")
@staff_page("admin")
def topup():
    form = TopupForm()
    tenant = current_tenant()
    try:
        amount = validate_amount(form.amount.data, currency=tenant.currency,
                                 locale=str(get_locale() or "en"))
        started = start_topup(actor=current_user, tenant=tenant, amount=amount)
    except ServiceError as exc:
        apply_form_errors(form, exc)
        return _render(form, exc.status)
    return redirect(started.checkout_url, code=303)


@bp.get("/topup/done")
@staff_page("admin")
def topup_done():
    topup = get_topup(request.args.get("session_id", ""))
    if topup is None:
        abort(404)
    if reconcile(topup):
        db.session.flush()
    db.session.refresh(topup)
    return render_template("billing/topup_done.html", topup=topup, tenant=current_tenant())


@bp.get("/topup/cancelled")
@staff_page("admin")
def topup_cancelled():
    return render_template("billing/topup_cancelled.html")


@bp.get("/locked")
@staff_page()
def locked():
    """Where a gated feature sends people: what the feature needs and how to get it."""
    addon = None
    name = request.args.get("feature", "")
    if name:
        try:
            addon = get_addon(name)
        except ServiceError:
            addon = None
    including = [p for p in list_plans() if p.all_addons]
    return render_template("billing/locked.html", addon=addon, including=including,
                           label=label), 402
