"""Pages: routing rules (ordered list, move up/down, enable/disable, create, edit, delete)."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from app.customers.models import Organization
from app.errors import ServiceError, ValidationFailed
from app.extensions import db
from app.routing import service
from app.tickets.choices import (
    CHANNEL_LABELS,
    PRIORITY_LABELS,
    TYPE_LABELS,
    department_choices,
    int_or_none,
    optional,
    staff_choices,
)
from app.ui import apply_form_errors, staff_page

bp = Blueprint("routing", __name__, url_prefix="/app/routing")
WORDS_IN_LABELS = {"any": _l("subject or text"), "subject": _l("subject"), "body": _l("text")}


class Checkboxes(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").replace(",", "\n").splitlines()
            if line.strip()]


class RuleForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    enabled = BooleanField(_l("Enabled"), default=True)
    channels = Checkboxes(_l("Channel is one of"), choices=list(CHANNEL_LABELS.items()))
    senders = TextAreaField(_l("Sender address or domain is one of"),
                            description=_l("One per line: jane@example.com or example.com"))
    words = TextAreaField(_l("Contains any of the words"), description=_l("One per line"))
    words_in = SelectField(_l("Look for the words in"), choices=list(WORDS_IN_LABELS.items()))
    organization_ids = Checkboxes(_l("Organization is one of"), coerce=int)
    custom_fields = TextAreaField(_l("Custom fields equal"),
                                  description=_l("One per line: key=value"))
    department_id = SelectField(_l("Move to department"))
    assignee_id = SelectField(_l("Assign to"))
    priority = SelectField(_l("Set priority"), choices=optional(PRIORITY_LABELS))
    type = SelectField(_l("Set type"), choices=optional(TYPE_LABELS))
    tags = StringField(_l("Add tags"), description=_l("Separated by commas"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.department_id.choices = department_choices()
        self.assignee_id.choices = staff_choices()
        self.organization_ids.choices = [
            (o.id, o.name) for o in db.session.scalars(select(Organization)
                                                       .order_by(Organization.name))]

    def condition_values(self) -> dict:
        custom = {}
        for line in (self.custom_fields.data or "").splitlines():
            if not line.strip():
                continue
            key, sep, value = line.partition("=")
            if not sep or not key.strip():
                raise ValidationFailed(fields={"custom_fields": _(
                    "Write each condition as key=value.")})
            custom[key.strip()] = value.strip()
        return {"channels": self.channels.data or [], "senders": _lines(self.senders.data),
                "words": _lines(self.words.data), "words_in": self.words_in.data,
                "organization_ids": self.organization_ids.data or [], "custom_fields": custom}

    def action_values(self) -> dict:
        return {"department_id": int_or_none(self.department_id.data),
                "assignee_id": int_or_none(self.assignee_id.data),
                "priority": self.priority.data or None, "type": self.type.data or None,
                "tags": _lines(self.tags.data)}

    def load(self, rule) -> None:
        c = rule.conditions or {}
        self.channels.data = c.get("channels", [])
        self.senders.data = "\n".join(c.get("senders", []))
        self.words.data = "\n".join(c.get("words", []))
        self.words_in.data = c.get("words_in", "any")
        self.organization_ids.data = c.get("organization_ids", [])
        self.custom_fields.data = "\n".join(f"{k}={v}" for k, v in
                                            c.get("custom_fields", {}).items())
        self.department_id.data = str(rule.department_id or "")
        self.assignee_id.data = str(rule.assignee_id or "")
        self.priority.data = rule.priority or ""
        self.type.data = rule.type or ""
        self.tags.data = ", ".join(rule.tags or [])


# Service errors name fields like "conditions.senders"; the form's fields are flat.
def _form_error(form, exc: ServiceError) -> None:
    exc.fields = {key.rpartition(".")[2]: value for key, value in exc.fields.items()}
    apply_form_errors(form, exc)


@bp.get("/")
@staff_page(*service.READERS)
def index():
    return render_template("routing/index.html", rules=service.list_rules(actor=current_user),
                           can_change=service.can_change_rules(current_user),
                           labels={**PRIORITY_LABELS, **TYPE_LABELS, **CHANNEL_LABELS},
                           departments=dict(department_choices()[1:]),
                           staff=dict(staff_choices()[1:]))


@bp.route("/new", methods=["GET", "POST"])
@staff_page(*service.EDITORS)
def create():
    form = RuleForm()
    if form.validate_on_submit():
        try:
            service.create_rule(actor=current_user, name=form.name.data,
                                enabled=form.enabled.data, conditions=form.condition_values(),
                                actions=form.action_values())
            flash(_("Routing rule added."), "success")
            return redirect(url_for(".index"))
        except ServiceError as exc:
            _form_error(form, exc)
    return render_template("routing/edit.html", form=form, rule=None)


@bp.route("/<int:rule_id>", methods=["GET", "POST"])
@staff_page(*service.EDITORS)
def edit(rule_id: int):
    rule = service.get_rule(rule_id)
    form = RuleForm(obj=rule)
    if request.method == "GET":
        form.load(rule)
    if form.validate_on_submit():
        try:
            service.update_rule(actor=current_user, rule_id=rule.id, name=form.name.data,
                                enabled=form.enabled.data, conditions=form.condition_values(),
                                actions=form.action_values())
            flash(_("Routing rule saved."), "success")
            return redirect(url_for(".index"))
        except ServiceError as exc:
            _form_error(form, exc)
    return render_template("routing/edit.html", form=form, rule=rule)


@bp.post("/<int:rule_id>/move")
@staff_page(*service.EDITORS)
def move(rule_id: int):
    offset = -1 if request.form.get("direction") == "up" else 1
    service.move_rule(actor=current_user, rule_id=rule_id, offset=offset)
    return redirect(url_for(".index"))


@bp.post("/<int:rule_id>/toggle")
@staff_page(*service.EDITORS)
def toggle(rule_id: int):
    rule = service.get_rule(rule_id)
    service.update_rule(actor=current_user, rule_id=rule.id, enabled=not rule.enabled)
    flash(_("Rule enabled.") if rule.enabled else _("Rule disabled."), "success")
    return redirect(url_for(".index"))


@bp.post("/<int:rule_id>/delete")
@staff_page(*service.EDITORS)
def delete(rule_id: int):
    service.delete_rule(actor=current_user, rule_id=rule_id)
    flash(_("Routing rule deleted."), "success")
    return redirect(url_for(".index"))
