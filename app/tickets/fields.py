"""Custom ticket fields the tenant admin defines, and validation of their values."""
import re
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from app.errors import Conflict, NotFound, ValidationFailed
from app.events.service import record_event
from app.extensions import db
from app.settings_cache import cached, settings_changed
from app.tickets.constants import FIELD_KINDS
from app.tickets.models import CustomField

_KEY = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
MAX_TEXT = 2000


def list_fields(*, active_only: bool = False) -> list[CustomField]:
    stmt = select(CustomField).order_by(CustomField.position, CustomField.id)
    if active_only:
        stmt = stmt.where(CustomField.active)
    return db.session.scalars(stmt).all()


@dataclass(frozen=True)
class FieldDefinition:
    """An active field as validation and forms (the widget's) need it, as plain data the
    process's cache can share."""
    key: str
    kind: str
    options: tuple[str, ...]
    required: bool
    label: str = ""


def _load_definitions() -> dict[str, FieldDefinition]:
    return {f.key: FieldDefinition(f.key, f.kind, tuple(f.options or ()), f.required, f.label)
            for f in list_fields(active_only=True)}


def active_definitions() -> dict[str, FieldDefinition]:
    """The active fields in their order, by key (no query while they are unchanged)."""
    return cached("custom_fields", _load_definitions)


def get_field(field_id: int) -> CustomField:
    field = db.session.get(CustomField, field_id)
    if field is None:
        raise NotFound(_("Custom field not found."))
    return field


def _check_definition(*, label: str | None, kind: str | None, options: list | None) -> None:
    fields = {}
    if label is not None and not 1 <= len(label.strip()) <= 200:
        fields["label"] = _("Enter a label of 1–200 characters.")
    if kind is not None and kind not in FIELD_KINDS:
        fields["kind"] = _("Choose one of: %(values)s.", values=", ".join(FIELD_KINDS))
    if kind == "select" and not [o for o in (options or []) if str(o).strip()]:
        fields["options"] = _("A select field needs at least one option.")
    if fields:
        raise ValidationFailed(fields=fields)


def create_field(*, actor, key: str, label: str, kind: str, options: list[str] | None = None,
                 required: bool = False, position: int = 0) -> CustomField:
    """Define a new field; ``key`` names it in the API and in templates (``{{ticket.key}}``)."""
    key = (key or "").strip().lower()
    if not _KEY.match(key):
        raise ValidationFailed(fields={"key": _(
            "Use lowercase letters, digits and underscores, starting with a letter.")})
    _check_definition(label=label, kind=kind, options=options)
    if db.session.scalar(select(CustomField.id).where(CustomField.key == key)) is not None:
        raise Conflict(_("A field with the key “%(key)s” exists.", key=key),
                       fields={"key": _("This key is taken.")})
    field = CustomField(key=key, label=label.strip(), kind=kind,
                        options=[str(o).strip() for o in options or [] if str(o).strip()],
                        required=required, position=position)
    db.session.add(field)
    db.session.flush()
    settings_changed()
    record_event(actor, "custom_field.created", field,
                 {"key": key, "label": field.label, "kind": kind})
    return field


def update_field(*, actor, field_id: int, changes: dict) -> CustomField:
    """Change label, options, required, position or active (the key and kind stay)."""
    field = get_field(field_id)
    _check_definition(label=changes.get("label"), kind=field.kind if "options" in changes
                      else None, options=changes.get("options"))
    before = {"label": field.label, "options": list(field.options), "required": field.required,
              "position": field.position, "active": field.active}
    for name in ("label", "required", "position", "active"):
        if changes.get(name) is not None:
            setattr(field, name, changes[name].strip() if name == "label" else changes[name])
    if changes.get("options") is not None:
        field.options = [str(o).strip() for o in changes["options"] if str(o).strip()]
    after = {"label": field.label, "options": list(field.options), "required": field.required,
             "position": field.position, "active": field.active}
    if after != before:
        db.session.flush()
        settings_changed()
        record_event(actor, "custom_field.updated", field, {"before": before, "after": after})
    return field


def delete_field(*, actor, field_id: int) -> None:
    """Remove a definition; values already on tickets are kept as they were."""
    field = get_field(field_id)
    record_event(actor, "custom_field.deleted", field, {"key": field.key, "label": field.label})
    db.session.delete(field)
    db.session.flush()
    settings_changed()


def _clean_value(field: FieldDefinition, value):
    if value is None or value == "":
        return None
    if field.kind == "text":
        if not isinstance(value, str | int | float):
            raise ValueError(_("Enter text."))
        text = str(value).strip()
        if len(text) > MAX_TEXT:
            raise ValueError(ngettext("Enter at most %(num)d character.",
                                      "Enter at most %(num)d characters.", MAX_TEXT))
        return text
    if field.kind == "number":
        if isinstance(value, bool):
            raise ValueError(_("Enter a number."))
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValueError(_("Enter a number.")) from None
        return int(number) if number.is_integer() else number
    if field.kind == "checkbox":
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("1", "true", "on", "yes"):
            return True
        if str(value).lower() in ("0", "false", "off", "no"):
            return False
        raise ValueError(_("Enter true or false."))
    if str(value) not in field.options:
        raise ValueError(_("Choose one of: %(values)s.", values=", ".join(field.options)))
    return str(value)


def clean_values(values: dict | None, *, current: dict | None = None,
                 enforce_required: bool = False) -> dict:
    """Validate ``values`` against the active definitions and merge them into ``current``.
    Unknown keys and bad values are a 422 naming ``custom_fields.<key>``."""
    definitions = cached("custom_fields", _load_definitions)
    merged = dict(current or {})
    errors = {}
    for key, value in (values or {}).items():
        field = definitions.get(key)
        if field is None:
            errors[f"custom_fields.{key}"] = _("No such field.")
            continue
        try:
            cleaned = _clean_value(field, value)
        except ValueError as exc:
            errors[f"custom_fields.{key}"] = str(exc)
            continue
        if cleaned is None:
            merged.pop(key, None)
        else:
            merged[key] = cleaned
    if enforce_required:
        for key, field in definitions.items():
            if field.required and merged.get(key) in (None, ""):
                errors.setdefault(f"custom_fields.{key}", _("This field is required."))
    if errors:
        raise ValidationFailed(fields=errors)
    return merged
