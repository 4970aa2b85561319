"""The form the widget shows, worked out from the settings: each field with its kind, label
and whether it is required, the departments offered, the attachment rules; and the whole
configuration ``GET /widget/<key>/config`` answers.

A custom field that is required on every ticket is always on the form (added at the end
when the admin left it out), so a request can never fail on a field the visitor was not
shown; a field whose custom field was removed or switched off is left out.
"""
from app.departments.service import list_departments
from app.tickets.fields import FieldDefinition, active_definitions
from app.tickets.settings import get_settings
from app.widget.checks import BUILTIN
from app.widget.settings import Widget, current_widget


def offered_departments(widget: Widget) -> list:
    departments = list_departments()
    if widget.department_ids:
        chosen = set(widget.department_ids)
        departments = [d for d in departments if d.id in chosen]
    return departments


def form_fields(widget: Widget) -> list[dict]:
    """The fields in the admin's order. ``label`` is None where the widget should use its
    own words (in the visitor's language)."""
    custom = dict(active_definitions())
    out: list[dict] = []
    for chosen in widget.fields:
        name = chosen["name"]
        if name in BUILTIN:
            item = {"name": name, "kind": BUILTIN[name], "label": chosen["label"] or None,
                    "required": chosen["required"]}
            if name == "department_id":
                item["options"] = [{"value": d.id, "label": d.name}
                                   for d in offered_departments(widget)]
            if name == "attachments":
                rules = get_settings("attachments")
                item.update(max_files=int(rules["max_files"]),
                            max_file_bytes=int(rules["max_file_bytes"]),
                            accept=list(rules["allowed_types"]))
        elif name in custom:
            item = _custom(custom.pop(name), chosen["label"], chosen["required"])
        else:
            continue
        out.append(item)
    out += [_custom(f, "", True) for f in custom.values() if f.required]
    return out


def _custom(definition: FieldDefinition, label: str, required: bool) -> dict:
    item = {"name": definition.key, "kind": definition.kind, "custom": True,
            "label": label or definition.label, "required": required or definition.required}
    if definition.kind == "select":
        item["options"] = [{"value": o, "label": o} for o in definition.options or []]
    return item


def catalog(tenant) -> dict:
    """Every field the form could have, with all departments (the admin page's preview puts
    the unsaved choices together from it), and the rest of the public configuration."""
    names = list(BUILTIN) + list(active_definitions())
    every = [{"name": name, "label": "", "required": False} for name in names]
    fields = form_fields(Widget(fields=tuple(every)))
    return public_config(tenant) | {"fields": fields}


def public_config(tenant) -> dict:
    """What the widget needs to draw itself: no secret, nothing of another tenant."""
    widget = current_widget()
    return {"key": tenant.widget_key, "name": tenant.name,
            "language": widget.language or None, "default_language": tenant.language,
            "colors": dict(widget.colors), "texts": dict(widget.texts),
            "fields": form_fields(widget), "identity": widget.identity_secret is not None}
