"""Pages: response templates (list with search, create, edit with flagged placeholders,
delete). The reply box's picker lives with the ticket page and calls the service, which
decides who may do what (a refused change is the 403 page)."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.departments.service import list_departments
from app.errors import Forbidden, ServiceError
from app.responses import service
from app.responses.context import custom_field_keys
from app.responses.render import KNOWN, render
from app.tickets.choices import (
    PRIORITY_LABELS,
    STATUS_LABELS,
    department_choices,
    int_or_none,
    optional,
    staff_choices,
)
from app.ui import apply_form_errors, staff_page

bp = Blueprint("responses", __name__, url_prefix="/app/responses")
# What the editor's preview fills the placeholders with.
SAMPLE = {"customer.name": _l("Jane Customer"), "ticket.number": "1042",
          "ticket.subject": _l("Cannot log in"), "ticket.status_url": "https://example.com/s/1042"}


class TemplateForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    department_id = SelectField(_l("Department"))
    body = TextAreaField(_l("Text"), validators=[Length(max=service.MAX_BODY)],
                         render_kw={"rows": 12},
                         description=_l("Placeholders: {{customer.name}}, {{ticket.number}}, "
                                        "{{ticket.subject}}, {{agent.name}}, "
                                        "{{ticket.status_url}}, {{ticket.custom.<key>}}"))
    set_status = SelectField(_l("Set status"), choices=optional(STATUS_LABELS))
    set_priority = SelectField(_l("Set priority"), choices=optional(PRIORITY_LABELS))
    set_assignee_id = SelectField(_l("Assign to"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.department_id.choices = department_choices(_l("All departments"))
        self.set_assignee_id.choices = staff_choices()

    def values(self) -> dict:
        return {"name": self.name.data, "body": self.body.data or "",
                "department_id": int_or_none(self.department_id.data),
                "set_status": self.set_status.data or None,
                "set_priority": self.set_priority.data or None,
                "set_assignee_id": int_or_none(self.set_assignee_id.data)}

    def load(self, template) -> None:
        self.department_id.data = str(template.department_id or "")
        self.set_status.data = template.set_status or ""
        self.set_priority.data = template.set_priority or ""
        self.set_assignee_id.data = str(template.set_assignee_id or "")


def _editor(form, template=None):
    keys = custom_field_keys()
    body = form.body.data or ""
    sample = {k: str(v) for k, v in SAMPLE.items()} | {"agent.name": current_user.name}
    sample |= {f"ticket.custom.{key}": f"[{key}]" for key in keys}
    preview, _missing = render(body, sample)
    return render_template("responses/edit.html", form=form, template=template,
                           problems=service.template_problems(body, keys), preview=preview,
                           known=KNOWN, custom_keys=sorted(keys))


@bp.get("/")
@staff_page()
def index():
    q = request.args.get("q", "")[:200]
    templates = service.search_templates(staff=current_user, q=q, limit=200)
    return render_template("responses/index.html", templates=templates, q=q,
                           can_edit=service.can_change_templates(current_user),
                           departments={d.id: d.name for d in list_departments()})


@bp.route("/new", methods=["GET", "POST"])
@staff_page()
def create():
    service.check_can_change_templates(current_user)
    form = TemplateForm()
    if form.validate_on_submit():
        try:
            template = service.create_template(actor=current_user, **form.values())
            flash(_("Template “%(name)s” created.", name=template.name), "success")
            return redirect(url_for(".edit", response_id=template.id))
        except Forbidden:
            raise
        except ServiceError as exc:
            apply_form_errors(form, exc)
    return _editor(form)


@bp.route("/<int:response_id>", methods=["GET", "POST"])
@staff_page()
def edit(response_id: int):
    template = service.template_to_edit(actor=current_user, template_id=response_id)
    form = TemplateForm(obj=template)
    if request.method == "GET":
        form.load(template)
    if form.validate_on_submit():
        try:
            service.update_template(actor=current_user, template_id=template.id,
                                    **form.values())
            flash(_("Template saved."), "success")
            return redirect(url_for(".edit", response_id=template.id))
        except Forbidden:
            raise
        except ServiceError as exc:
            apply_form_errors(form, exc)
    return _editor(form, template)


@bp.post("/<int:response_id>/delete")
@staff_page()
def delete(response_id: int):
    service.delete_template(actor=current_user, template_id=response_id)
    flash(_("Template deleted."), "success")
    return redirect(url_for(".index"))
