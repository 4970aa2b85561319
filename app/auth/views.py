"""Pages: my profile (language, password, sessions) and my API tokens; signing a staff
member out everywhere."""
from flask import Blueprint, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.auth.models import ApiToken
from app.auth.sessions import is_current, open_sessions, sign_out_everywhere
from app.auth.tokens import create_token, revoke_token
from app.errors import ServiceError
from app.extensions import db
from app.languages import LANGUAGE_CHOICES
from app.staff.service import can_manage_staff, update_profile
from app.ui import apply_form_errors, staff_page

bp = Blueprint("auth", __name__, url_prefix="/app")


class ProfileForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    language = SelectField(_l("Language"), choices=[("", _l("Company default"))]
                           + LANGUAGE_CHOICES)
    password = PasswordField(_l("New password"), validators=[Optional(), Length(max=200)])


class TokenForm(FlaskForm):
    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=100)])


@bp.route("/profile", methods=["GET", "POST"])
@staff_page()
def profile():
    form = ProfileForm(obj=current_user)
    if not form.is_submitted():
        form.language.data = current_user.language or ""
    if form.validate_on_submit():
        try:
            update_profile(actor=current_user, name=form.name.data,
                           language=form.language.data or None,
                           password=form.password.data or None)
            session["lang"] = form.language.data or None
            flash(_("Saved."), "success")
            return redirect(url_for(".profile"))
        except ServiceError as exc:
            apply_form_errors(form, exc)
    tokens = db.session.scalars(select(ApiToken).where(
        ApiToken.staff_id == current_user.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.id.desc())).all()
    sessions = [(row, is_current(row, current_user)) for row in open_sessions(current_user.id)]
    return render_template("auth/profile.html", form=form, sessions=sessions, tokens=tokens)


@bp.post("/profile/sign-out-others")
@staff_page()
def sign_out_others():
    sign_out_everywhere(actor=current_user, staff_id=current_user.id, keep_current=True)
    flash(_("Your other sessions are signed out."), "success")
    return redirect(url_for(".profile"))


@bp.post("/staff/<int:staff_id>/sign-out-everywhere")
@staff_page()
def sign_out_staff(staff_id: int):
    sign_out_everywhere(actor=current_user, staff_id=staff_id)  # an admin, or oneself
    flash(_("Every session of this staff member is signed out."), "success")
    if not can_manage_staff(current_user):
        return redirect(url_for(".profile"))
    return redirect(url_for("staff.edit", staff_id=staff_id))


@bp.route("/tokens", methods=["GET", "POST"])
@staff_page()
def tokens():
    form = TokenForm()
    created = None
    if form.validate_on_submit():
        token, created = create_token(current_user, form.name.data)
        form = TokenForm(formdata=None)
    mine = db.session.scalars(select(ApiToken).where(ApiToken.staff_id == current_user.id)
                              .order_by(ApiToken.id.desc())).all()
    return render_template("auth/tokens.html", form=form, tokens=mine, created=created)


@bp.post("/tokens/<int:token_id>/revoke")
@staff_page()
def revoke(token_id: int):
    revoke_token(current_user, token_id)
    flash(_("Token revoked."), "success")
    return redirect(url_for(".tokens"))
