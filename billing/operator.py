"""The operator console (/operator/): plans, add-ons, tenants and balances.

The platform operator is not a tenant's staff member. The console is open only when
``OPERATOR_TOKEN`` is set; the operator enters that token once per browser session.
Without the setting every /operator/ URL is a 404. Everything here is platform-wide.
"""
import hashlib
import hmac
from contextlib import contextmanager
from functools import wraps

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import select

from app.errors import ServiceError
from app.extensions import db, limiter
from app.money import MoneyError, parse_amount
from billing.catalog import list_addons, list_plans, set_addon, set_plan
from billing.ledger import adjust_balance, check_invariant
from billing.suspension import resume_if_covered
from tenants import context
from tenants.models import Tenant

bp = Blueprint("operator", __name__, url_prefix="/operator")


def _fingerprint(token: str) -> str:
    return hashlib.sha256(("operator:" + token).encode()).hexdigest()


def _token() -> str:
    token = current_app.config.get("OPERATOR_TOKEN") or ""
    if not token:
        abort(404)
    return token


def operator_page(fn):
    @wraps(fn)
    def view(*args, **kwargs):
        token = _token()
        if not hmac.compare_digest(session.get("operator", ""), _fingerprint(token)):
            return redirect(url_for(".login"))
        with context.platform_scope():  # PLATFORM-WIDE: the operator works across tenants
            return fn(*args, **kwargs)

    return view


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    token = _token()
    if request.method == "POST":
        if hmac.compare_digest(request.form.get("token", ""), token):
            session["operator"] = _fingerprint(token)
            return redirect(url_for(".index"))
        flash(_("That is not the operator token."), "error")
        return render_template("billing/operator_login.html"), 401
    return render_template("billing/operator_login.html")


@bp.post("/logout")
def logout():
    session.pop("operator", None)
    return redirect(url_for(".login"))


@bp.get("/")
@operator_page
def index():
    query = (request.args.get("q") or "").strip().lower()
    stmt = select(Tenant).order_by(Tenant.id.desc()).limit(200)
    if query:
        stmt = stmt.where(Tenant.slug.contains(query))
    mismatches = check_invariant() if request.args.get("check") else None
    return render_template("billing/operator.html", tenants=db.session.scalars(stmt).all(),
                           plans=list_plans(), addons=list_addons(), query=query,
                           mismatches=mismatches)


def _int(name: str) -> int | None:
    raw = (request.form.get(name) or "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise ServiceError(_("%(field)s must be a whole number.", field=name)) from None


def _money(name: str) -> int | None:
    raw = (request.form.get(name) or "").strip()
    if not raw:
        return None
    try:
        return parse_amount(raw)
    except MoneyError:
        raise ServiceError(_("%(field)s must be an amount such as 5.00.", field=name)) from None


@contextmanager
def _saving(message: str):
    """Commit and say so, or roll back and show the error (the block's exception is handled)."""
    try:
        yield
        flash(message, "success")
    except ServiceError as exc:
        db.session.rollback()
        details = "; ".join(f"{k}: {v}" for k, v in exc.fields.items())
        flash(f"{exc.message} {details}".strip(), "error")


@bp.post("/plans")
@operator_page
def save_plan():
    with _saving(_("Plan saved.")):
        set_plan(name=request.form.get("name", ""), title=request.form.get("title") or None,
                 daily_price=_money("daily_price"), max_staff=_int("max_staff"),
                 tickets_per_day=_int("tickets_per_day"),
                 all_addons=request.form.get("all_addons") == "on")
    return redirect(url_for(".index"))


@bp.post("/addons")
@operator_page
def save_addon():
    with _saving(_("Add-on saved.")):
        set_addon(name=request.form.get("name", ""), title=request.form.get("title") or None,
                  daily_price=_money("daily_price"))
    return redirect(url_for(".index"))


@bp.post("/adjust")
@operator_page
def adjust():
    with _saving(_("Balance adjusted.")):
        tenant = db.session.scalar(select(Tenant).where(
            Tenant.slug == (request.form.get("slug") or "").strip().lower()))
        if tenant is None:
            raise ServiceError(_("No tenant with this address."))
        amount = _money("amount")
        adjust_balance(actor="operator", tenant_id=tenant.id, amount=amount or 0,
                       reason=request.form.get("reason", ""))
        if amount and amount > 0:
            with context.tenant_scope(tenant.id):
                resume_if_covered(tenant.id)
    return redirect(url_for(".index", q=request.form.get("slug", "")))
