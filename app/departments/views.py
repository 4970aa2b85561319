"""Pages: departments (list, create, edit, delete). Who may do what is the service's rule."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.departments import service
from app.departments.models import Department
from app.errors import Forbidden, ServiceError
from app.extensions import db
from app.ui import apply_form_errors, flash_outcome, staff_page

bp = Blueprint("departments", __name__, url_prefix="/app/departments")


class DepartmentForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    description = TextAreaField(_l("Description"), validators=[Length(max=2000)])


@bp.route("/", methods=["GET", "POST"])
@staff_page()
def index():
    form = DepartmentForm()
    departments = db.session.scalars(service.read_departments(actor=current_user)
                                     .order_by(Department.name)).all()
    if form.validate_on_submit():
        try:
            department = service.create_department(actor=current_user, name=form.name.data,
                                                   description=form.description.data)
            flash(_("Department “%(name)s” created.", name=department.name), "success")
            return redirect(url_for(".index"))
        except Forbidden:
            db.session.rollback()
            flash(_("Only an admin can change departments."), "error")
            return redirect(url_for(".index"))
        except ServiceError as exc:
            apply_form_errors(form, exc)
    return render_template("departments/index.html", form=form, departments=departments,
                           can_change=service.can_change_departments(current_user))


@bp.route("/<int:department_id>", methods=["GET", "POST"])
@staff_page()
def edit(department_id: int):
    department = service.department_to_edit(actor=current_user, department_id=department_id)
    form = DepartmentForm(obj=department)
    if form.validate_on_submit():
        try:
            service.update_department(actor=current_user, department_id=department.id,
                                      name=form.name.data, description=form.description.data)
            flash(_("Department saved."), "success")
            return redirect(url_for(".index"))
        except ServiceError as exc:
            apply_form_errors(form, exc)
    return render_template("departments/edit.html", form=form, department=department)


@bp.post("/<int:department_id>/delete")
@staff_page()
def delete(department_id: int):
    flash_outcome(lambda: service.delete_department(actor=current_user,
                                                    department_id=department_id),
                  _("Department deleted."))
    return redirect(url_for(".index"))
