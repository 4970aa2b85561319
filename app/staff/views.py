"""Pages: staff (list, add, edit role and department rights, remove). Who may do what is
the service's rule: a refused change is the 403 page."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.departments.service import list_departments
from app.errors import Forbidden, ServiceError, ValidationFailed
from app.extensions import db
from app.languages import LANGUAGE_CHOICES
from app.staff import invitations, service
from app.staff.models import ACCESS_LEVELS, Staff
from app.staff.roles import ACCESS_LABELS, ROLE_CHOICES
from app.ui import apply_form_errors, flash_outcome, staff_page

bp = Blueprint("staff", __name__, url_prefix="/app/staff")


class StaffForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, default="agent")
    language = SelectField(_l("Language"), choices=[("", _l("Company default"))]
                           + LANGUAGE_CHOICES, default="")
    password = PasswordField(_l("Password"), validators=[Optional(), Length(max=200)])
    active = BooleanField(_l("Active"), default=True)


def _access_from_form() -> dict[int, str]:
    access = {}
    for department in list_departments():
        level = request.form.get(f"access-{department.id}", "")
        if level:
            if level not in ACCESS_LEVELS:
                raise ValidationFailed(_("Unknown access level."))
            access[department.id] = level
    return access


def _offered_access(departments) -> dict[int, str]:
    """What the add form shows: the levels just submitted, or for a fresh form the right to
    answer in the first department, so that adding an agent never silently grants nothing."""
    if request.method == "POST":
        return {d.id: request.form[f"access-{d.id}"] for d in departments
                if request.form.get(f"access-{d.id}") in ACCESS_LEVELS}
    return {departments[0].id: "reply"} if departments else {}


def _missing_departments(role: str, departments, access: dict[int, str]) -> str | None:
    # Admins and managers see every department; an agent without one would see no tickets.
    if role == "agent" and departments and not access:
        return _("Choose at least one department: an agent sees only the tickets "
                 "of their departments.")
    return None


@bp.route("/", methods=["GET", "POST"])
@staff_page()
def index():
    form = StaffForm()
    departments = list_departments()
    access = _offered_access(departments)
    access_error = None
    members = db.session.scalars(service.read_staff(actor=current_user)
                                 .order_by(Staff.name)).all()
    if form.validate_on_submit():
        access_error = _missing_departments(form.role.data, departments, access)
        if access_error is None:
            try:
                member = _add(form)
                flash(_("%(name)s can now log in.", name=member.name) if form.password.data
                      else _("An invitation was sent to %(email)s.", email=member.email),
                      "success")
                return redirect(url_for(".index"))
            except Forbidden:
                raise
            except ServiceError as exc:
                apply_form_errors(form, exc)
    return render_template("staff/index.html", form=form, staff=members,
                           departments=departments, access=access, access_error=access_error,
                           access_labels=ACCESS_LABELS,
                           can_manage=service.can_manage_staff(current_user))


def _add(form: StaffForm):
    """The staff member and their department rights, in one go: with a password they can log
    in now, without one they get an invitation letter."""
    fields = {"actor": current_user, "name": form.name.data, "email": form.email.data,
              "role": form.role.data, "language": form.language.data or None,
              "access": _access_from_form()}
    if form.password.data:
        return service.create_staff(password=form.password.data, **fields)
    return invitations.invite_staff(**fields)


@bp.route("/<int:staff_id>", methods=["GET", "POST"])
@staff_page()
def edit(staff_id: int):
    member = service.staff_to_edit(actor=current_user, staff_id=staff_id)
    form = StaffForm(obj=member)
    del form.email  # the e-mail is the login; it is not changed here
    if request.method == "GET":
        form.language.data = member.language or ""
    if form.validate_on_submit():
        try:
            service.update_staff(actor=current_user, staff_id=member.id, name=form.name.data,
                                 role=form.role.data, language=form.language.data or None,
                                 password=form.password.data or None, active=form.active.data,
                                 access=_access_from_form())
            flash(_("Saved."), "success")
            return redirect(url_for(".index"))
        except Forbidden:
            raise
        except ServiceError as exc:
            apply_form_errors(form, exc)
    return render_template("staff/edit.html", form=form, member=member,
                           departments=list_departments(),
                           access=service.current_access(member.id),
                           access_labels=ACCESS_LABELS)


@bp.post("/<int:staff_id>/delete")
@staff_page()
def delete(staff_id: int):
    flash_outcome(lambda: service.delete_staff(actor=current_user, staff_id=staff_id),
                  _("Staff member removed."))
    return redirect(url_for(".index"))


@bp.post("/<int:staff_id>/invite")
@staff_page()
def resend_invitation(staff_id: int):
    member = invitations.resend_invitation(actor=current_user, staff_id=staff_id)
    flash(_("An invitation was sent to %(email)s.", email=member.email), "success")
    return redirect(url_for(".index"))
