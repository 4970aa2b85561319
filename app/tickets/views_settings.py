"""Page: the tenant admin's ticket settings — custom fields and attachment rules."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.errors import ServiceError
from app.tickets import fields
from app.tickets.constants import FIELD_KINDS
from app.tickets.settings import MB, get_settings, update_attachment_rules
from app.ui import apply_form_errors, staff_page

bp = Blueprint("ticket_settings", __name__, url_prefix="/app/ticket-settings")
KIND_LABELS = {"text": _l("Text"), "number": _l("Number"), "select": _l("Choice from a list"),
               "checkbox": _l("Checkbox")}


class FieldForm(FlaskForm):
    key = StringField(_l("Key"), validators=[DataRequired(), Length(max=64)],
                      description=_l("Names the field in the API and in templates: "
                                     "{{ticket.custom.key}}"))
    label = StringField(_l("Label"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=[(k, KIND_LABELS[k]) for k in FIELD_KINDS])
    options = TextAreaField(_l("Options (one per line, for a choice from a list)"),
                            validators=[Length(max=5000)])
    required = BooleanField(_l("Required"))
    active = BooleanField(_l("In use"), default=True)
    position = IntegerField(_l("Position"), default=0,
                            validators=[Optional(), NumberRange(min=0, max=1000)])


class AttachmentForm(FlaskForm):
    max_file_mb = IntegerField(_l("Largest file, MB"),
                               validators=[DataRequired(), NumberRange(min=1, max=100)])
    max_files = IntegerField(_l("Files per message"),
                             validators=[DataRequired(), NumberRange(min=1, max=50)])
    allowed_types = TextAreaField(_l("Allowed types (one MIME type per line)"),
                                  validators=[DataRequired(), Length(max=10000)])


def _lines(raw: str | None) -> list[str]:
    return [line.strip() for line in (raw or "").splitlines() if line.strip()]


@bp.route("/", methods=["GET", "POST"])
@staff_page("admin")
def index():
    field_form = FieldForm(prefix="field")
    rules = get_settings("attachments")
    attachment_form = AttachmentForm(prefix="files", data={
        "max_file_mb": max(1, rules["max_file_bytes"] // MB), "max_files": rules["max_files"],
        "allowed_types": "\n".join(rules["allowed_types"])})
    form_name = request.form.get("form")
    if form_name == "field" and field_form.validate_on_submit():
        try:
            field = fields.create_field(
                actor=current_user, key=field_form.key.data, label=field_form.label.data,
                kind=field_form.kind.data, options=_lines(field_form.options.data),
                required=field_form.required.data, position=field_form.position.data or 0)
            flash(_("Field “%(label)s” added.", label=field.label), "success")
            return redirect(url_for(".index"))
        except ServiceError as exc:
            apply_form_errors(field_form, exc)
    elif form_name == "files" and attachment_form.validate_on_submit():
        try:
            update_attachment_rules(
                actor=current_user, max_file_bytes=attachment_form.max_file_mb.data * MB,
                max_files=attachment_form.max_files.data,
                allowed_types=_lines(attachment_form.allowed_types.data))
            flash(_("Attachment rules saved."), "success")
            return redirect(url_for(".index"))
        except ServiceError as exc:
            apply_form_errors(attachment_form, exc)
    return render_template("tickets/settings.html", field_form=field_form,
                           attachment_form=attachment_form, fields=fields.list_fields(),
                           kind_labels=KIND_LABELS)


@bp.route("/fields/<int:field_id>", methods=["GET", "POST"])
@staff_page("admin")
def edit_field(field_id: int):
    field = fields.get_field(field_id)
    form = FieldForm(obj=field)
    del form.key, form.kind  # they name the stored values: fixed once created
    if request.method == "GET":
        form.options.data = "\n".join(field.options or [])
    if form.validate_on_submit():
        try:
            fields.update_field(actor=current_user, field_id=field.id, changes={
                "label": form.label.data, "required": form.required.data,
                "active": form.active.data, "position": form.position.data or 0,
                "options": _lines(form.options.data) if field.kind == "select" else None})
            flash(_("Saved."), "success")
            return redirect(url_for(".index"))
        except ServiceError as exc:
            apply_form_errors(form, exc)
    return render_template("tickets/settings_field.html", form=form, field=field,
                           kind_labels=KIND_LABELS)


@bp.post("/fields/<int:field_id>/delete")
@staff_page("admin")
def delete_field(field_id: int):
    fields.delete_field(actor=current_user, field_id=field_id)
    flash(_("Field removed; values already on tickets are kept."), "success")
    return redirect(url_for(".index"))
