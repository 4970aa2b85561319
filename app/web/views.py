"""Home, signup, login/logout and the dashboard."""
from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from app.auth.devices import COOKIE as DEVICE_COOKIE
from app.auth.devices import remember_device
from app.auth.login import authenticate
from app.auth.sessions import sign_in, sign_out
from app.errors import ServiceError
from app.extensions import db, limiter
from app.onboarding.signup import sign_up
from app.reports.dashboard import admin_dashboard, my_queue
from app.staff.roles import MANAGERS, has_role
from app.tickets.constants import STATUS_LABELS
from app.tickets.display import ACTIVE, NEAR, near_breach
from app.tickets.listing import ticket_query
from app.tickets.models import Ticket
from app.ui import apply_form_errors, staff_page
from app.web.forms import FindTenantForm, LoginForm, SignupForm
from tenants import context
from tenants.resolve import current_tenant, tenant_id_by_slug

bp = Blueprint("web", __name__)


@bp.get("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("web.dashboard"))
    return render_template("web/index.html")


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGNUP_RATE_LIMIT"], methods=["POST"])
@context.resolves_own_tenant
def signup():
    form = SignupForm()
    if form.validate_on_submit():
        try:
            result = sign_up(**{k: form.data[k] for k in (
                "company_name", "slug", "admin_name", "admin_email", "password", "language")})
        except ServiceError as exc:
            apply_form_errors(form, exc)
        else:
            sign_in(result.admin, remember=False)
            flash(_("Welcome! Your help desk is ready and the trial balance is credited."),
                  "success")
            return redirect(url_for("web.dashboard"))
    return render_template("web/signup.html", form=form), 422 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
def find_tenant():
    form = FindTenantForm()
    if form.validate_on_submit():
        slug = form.slug.data.strip().lower()
        if tenant_id_by_slug(slug) is not None:
            return redirect(url_for("web.login", slug=slug))
        form.slug.errors = [_("No company with this address.")]
    return render_template("web/find_tenant.html", form=form)


@bp.route("/t/<slug>/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login(slug: str):
    tenant = g.tenant  # resolved from the address; a session of another tenant is not loaded
    if tenant is None:
        return redirect(url_for("web.find_tenant"))
    if current_user.is_authenticated:
        return redirect(url_for("web.dashboard"))
    form = LoginForm()
    status, headers = 200, {}
    if form.validate_on_submit():
        device = request.cookies.get(DEVICE_COOKIE)
        try:
            staff = authenticate(email=form.email.data, password=form.password.data,
                                 address=request.remote_addr, device=device)
        except ServiceError as exc:
            flash(str(exc.message), "error")
            if getattr(exc, "retry_after", None):
                status, headers = exc.status, {"Retry-After": str(exc.retry_after)}
        else:
            sign_in(staff, remember=form.remember.data)
            remember_device(staff, device)
            return redirect(url_for("web.dashboard"))
    return render_template("web/login.html", form=form, tenant=tenant), status, headers


@bp.post("/logout")
def logout():
    slug = None
    if current_user.is_authenticated:
        tenant = current_tenant()
        slug = tenant.slug if tenant else None
    sign_out(current_user._get_current_object() if current_user.is_authenticated else None)
    return redirect(url_for("web.login", slug=slug) if slug else url_for("web.index"))


@bp.get("/app/")
@staff_page()
def dashboard():
    """Admins and managers see the state of support; an agent sees their own queue."""
    tenant = current_tenant()
    if has_role(current_user, MANAGERS):
        return render_template("web/dashboard.html", tenant=tenant,
                               figures=admin_dashboard(actor=current_user))
    return render_template("web/dashboard_agent.html", tenant=tenant, work=_work_counts(),
                           queue=my_queue(actor=current_user), status_labels=STATUS_LABELS)


COUNT_CAP = 999  # counting is capped: the dashboard stays fast for a million tickets


def _work_counts() -> list[dict]:
    """The agent's day at a glance: capped counts that link to the inbox views."""
    def capped(stmt) -> int:
        ids = stmt.with_only_columns(Ticket.id).order_by(None).limit(COUNT_CAP + 1)
        return db.session.scalar(select(func.count()).select_from(ids.subquery()))

    views = [
        ("mine", _("Assigned to me"),
         ticket_query(current_user, status=ACTIVE, assignee_id=current_user.id)),
        ("unassigned", _("Unassigned"),
         ticket_query(current_user, status=ACTIVE, unassigned=True)),
        ("breach", _("Near or past breach"), near_breach(ticket_query(current_user), NEAR)),
    ]
    return [{"view": view, "label": label, "count": capped(stmt), "cap": COUNT_CAP}
            for view, label, stmt in views]
