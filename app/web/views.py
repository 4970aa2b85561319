"""Home, signup, login/logout and the dashboard."""
from flask import current_app, flash, g, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.auth.login import authenticate
from app.errors import ServiceError
from app.extensions import db, limiter
from app.web import bp
from app.web.forms import FindTenantForm, LoginForm, SignupForm
from app.web.guards import apply_form_errors, staff_page
from tenants import context
from tenants.resolve import current_tenant, tenant_by_slug
from tenants.signup import sign_up


@bp.get("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("web.dashboard"))
    return render_template("web/index.html")


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGNUP_RATE_LIMIT"], methods=["POST"])
def signup():
    form = SignupForm()
    if form.validate_on_submit():
        try:
            result = sign_up(**{k: form.data[k] for k in (
                "company_name", "slug", "admin_name", "admin_email", "password", "language")})
        except ServiceError as exc:
            apply_form_errors(form, exc)
        else:
            _start_session(result.admin, remember=False)
            db.session.commit()
            flash(_("Welcome! Your help desk is ready and the trial balance is credited."),
                  "success")
            return redirect(url_for("web.dashboard"))
    return render_template("web/signup.html", form=form), 422 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
def find_tenant():
    form = FindTenantForm()
    if form.validate_on_submit():
        tenant = tenant_by_slug(form.slug.data.strip())
        if tenant is not None:
            return redirect(url_for("web.login", slug=tenant.slug))
        form.slug.errors = [_("No company with this address.")]
    return render_template("web/find_tenant.html", form=form)


def _start_session(staff, *, remember: bool) -> None:
    session.clear()  # a new session on login (no fixation)
    login_user(staff, remember=remember)
    session["lang"] = staff.language


@bp.route("/t/<slug>/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login(slug: str | None = None):
    tenant = tenant_by_slug(slug or "")
    if tenant is None:
        return redirect(url_for("web.find_tenant"))
    if current_user.is_authenticated and current_user.tenant_id == tenant.id:
        return redirect(url_for("web.dashboard"))
    context.set_tenant(tenant.id)
    g.tenant = tenant
    form = LoginForm()
    if form.validate_on_submit():
        try:
            staff = authenticate(email=form.email.data, password=form.password.data)
        except ServiceError as exc:
            flash(str(exc.message), "error")
        else:
            _start_session(staff, remember=form.remember.data)
            db.session.commit()
            return redirect(url_for("web.dashboard"))
    return render_template("web/login.html", form=form, tenant=tenant)


@bp.post("/logout")
def logout():
    slug = None
    if current_user.is_authenticated:
        tenant = current_tenant()
        slug = tenant.slug if tenant else None
    logout_user()
    session.clear()
    return redirect(url_for("web.login", slug=slug) if slug else url_for("web.index"))


@bp.get("/app/")
@staff_page()
def dashboard():
    from app.departments.service import list_departments
    from app.staff.service import list_staff

    tenant = current_tenant()
    return render_template("web/dashboard.html", tenant=tenant, work=_work_counts(),
                           departments=list_departments(), staff=list_staff())


COUNT_CAP = 999  # counting is capped: the dashboard stays fast for a million tickets


def _work_counts() -> list[dict]:
    """The agent's day at a glance: capped counts that link to the inbox views."""
    from sqlalchemy import func, select

    from app.sla.service import near_breach
    from app.tickets.listing import ticket_query
    from app.tickets.models import Ticket
    from app.tickets.views_inbox import ACTIVE, NEAR

    def capped(stmt) -> int:
        ids = stmt.with_only_columns(Ticket.id).order_by(None).limit(COUNT_CAP + 1)
        return db.session.scalar(select(func.count()).select_from(ids.subquery()))

    views = [
        ("open", _("Open tickets"), ticket_query(current_user, status=ACTIVE)),
        ("mine", _("Assigned to me"),
         ticket_query(current_user, status=ACTIVE, assignee_id=current_user.id)),
        ("unassigned", _("Unassigned"),
         ticket_query(current_user, status=ACTIVE, unassigned=True)),
        ("breach", _("Near or past breach"), near_breach(ticket_query(current_user), NEAR)),
    ]
    return [{"view": view, "label": label, "count": capped(stmt), "cap": COUNT_CAP}
            for view, label, stmt in views]
