"""Pages: "forgot password?" on a company's login page, and the reset link's page."""
from flask import Blueprint, current_app, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from app.auth.reset import complete_reset, find_reset, request_reset
from app.auth.sessions import sign_in
from app.errors import ServiceError
from app.extensions import limiter
from app.ui import apply_form_errors
from tenants import context
from tenants.resolve import current_tenant

bp = Blueprint("reset", __name__)


class ForgotForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)],
                             description=_l("At least 10 characters, not a common password"))
    confirm = PasswordField(_l("Repeat the password"), validators=[
        DataRequired(), EqualTo("password", message=_l("The passwords differ."))])


def _reset_rate_limit() -> str:
    return current_app.config.get("RESET_RATE_LIMIT", "10 per hour")


@bp.route("/t/<slug>/forgot-password", methods=["GET", "POST"])
@limiter.limit(_reset_rate_limit, methods=["POST"])
def forgot(slug: str):
    tenant = g.tenant
    if tenant is None:
        return redirect(url_for("web.find_tenant"))
    form = ForgotForm()
    if form.validate_on_submit():
        request_reset(email=form.email.data)
        # The same answer whether or not the address is a staff member's.
        flash(_("If the address belongs to a staff member, a link is on its way. "
                "It works for one hour."), "success")
        return redirect(url_for("web.login", slug=tenant.slug))
    return render_template("auth/forgot.html", form=form, tenant=tenant)


@bp.route("/password-reset/<token>", methods=["GET", "POST"])
@context.resolves_own_tenant
def reset_password(token: str):
    staff = find_reset(token)[1]
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            staff = complete_reset(token=token, password=form.password.data)
        except ServiceError as exc:
            apply_form_errors(form, exc)
        else:
            sign_in(staff)
            flash(_("Your new password is set; your other sessions were signed out."),
                  "success")
            return redirect(url_for("web.dashboard"))
    return render_template("auth/reset.html", form=form, staff=staff, tenant=current_tenant())
