"""The console's home: tenants (search), the plan and add-on catalog, balance adjustments,
the ledger check, and the audit log. Every change is one audited service call."""
from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.audit.service import recent_actions, record_action
from app.operator import tenants
from app.operator.access import bp, operator_page
from app.operator.forms import int_field, money_field, saving
from billing.catalog import list_addons, list_plans, set_addon, set_plan
from billing.ledger import check_invariant

SOURCE = "console"


@bp.get("/")
@operator_page
def index():
    query = (request.args.get("q") or "").strip()[:100]
    mismatches = check_invariant() if request.args.get("check") else None
    found = tenants.find_tenants(query)
    return render_template("operator/index.html", tenants=found, plans=list_plans(),
                           addons=list_addons(), query=query, mismatches=mismatches,
                           mailboxes=tenants.mailbox_states([t.id for t in found]))


@bp.post("/plans")
@operator_page
def save_plan():
    with saving(_("Plan saved.")):
        values = {"title": request.form.get("title") or None,
                  "daily_price": money_field("daily_price"),
                  "max_staff": int_field("max_staff"),
                  "tickets_per_day": int_field("tickets_per_day"),
                  "all_addons": request.form.get("all_addons") == "on"}
        plan = set_plan(name=request.form.get("name", ""), **values)
        record_action("catalog.plan_saved", source=SOURCE,
                      details={"plan": plan.name} | {k: v for k, v in values.items()
                                                      if v is not None})
    return redirect(url_for(".index"))


@bp.post("/addons")
@operator_page
def save_addon():
    with saving(_("Add-on saved.")):
        values = {"title": request.form.get("title") or None,
                  "daily_price": money_field("daily_price")}
        addon = set_addon(name=request.form.get("name", ""), **values)
        record_action("catalog.addon_saved", source=SOURCE,
                      details={"addon": addon.name} | {k: v for k, v in values.items()
                                                        if v is not None})
    return redirect(url_for(".index"))


@bp.post("/adjust")
@operator_page
def adjust():
    slug = (request.form.get("slug") or "").strip().lower()
    with saving(_("Balance adjusted.")):
        tenants.adjust(slug, money_field("amount"), request.form.get("reason", ""),
                       source=SOURCE)
    if request.form.get("back") == "tenant" and slug:
        return redirect(url_for(".tenant", slug=slug))
    return redirect(url_for(".index", q=slug))


@bp.get("/audit")
@operator_page
def audit():
    before = request.args.get("before", type=int)
    rows = recent_actions(limit=100, before_id=before if before and before > 0 else None)
    return render_template("operator/audit.html", actions=rows,
                           older=rows[-1].id if len(rows) == 100 else None)
