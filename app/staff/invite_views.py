"""The public page behind an invitation link: choose a password, then straight in."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from app.auth.sessions import sign_in
from app.errors import ServiceError
from app.staff.invitations import accept_invitation, find_invitation
from app.ui import apply_form_errors
from tenants import context
from tenants.resolve import current_tenant

bp = Blueprint("invite", __name__, url_prefix="/invite")


class ChoosePasswordForm(FlaskForm):
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)],
                             description=_l("At least 10 characters, not a common password"))
    confirm = PasswordField(_l("Repeat the password"), validators=[
        DataRequired(), EqualTo("password", message=_l("The passwords differ."))])


@bp.route("/<token>", methods=["GET", "POST"])
@context.resolves_own_tenant
def accept(token: str):
    staff = find_invitation(token)[1]
    form = ChoosePasswordForm()
    if form.validate_on_submit():
        try:
            staff = accept_invitation(token=token, password=form.password.data)
        except ServiceError as exc:
            apply_form_errors(form, exc)
        else:
            sign_in(staff)
            flash(_("Welcome! Your password is set."), "success")
            return redirect(url_for("web.dashboard"))
    return render_template("staff/invite.html", form=form, staff=staff,
                           tenant=current_tenant())
