"""The pieces event sentences are made of: who did it, which ticket, names for ids, labels
for codes, money in the page's currency and "name: Support → Help" change lists."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.event_log.names import Names
from app.events.models import Event
from app.formatting import money
from app.languages import language_name
from app.staff.roles import ROLE_CHOICES
from app.tickets.constants import LABELS as TICKET_LABELS
from billing.catalog import LABELS as CATALOG_LABELS

ROLE_LABELS = dict(ROLE_CHOICES)
TICKET_KEYS = ("status", "priority", "type", "channel", "set_status", "set_priority")
NAME_KEYS = {"department_id": "department", "assignee_id": "staff", "set_assignee_id": "staff",
             "staff_id": "staff", "organization_id": "organization"}
# How a changed field is called in "name: Support → Help".
FIELD_LABELS = {
    "name": _l("name"), "description": _l("description"), "email": _l("e-mail"),
    "role": _l("role"), "language": _l("language"), "active": _l("active"),
    "organization_id": _l("organization"), "domains": _l("domains"), "label": _l("label"),
    "options": _l("options"), "required": _l("required"), "position": _l("position"),
    "timezone": _l("time zone"), "hours": _l("working hours"), "body": _l("text"),
    "department_id": _l("department"), "assignee_id": _l("assignee"),
    "set_status": _l("status"), "set_priority": _l("priority"),
    "set_assignee_id": _l("assignee"), "enabled": _l("on"), "conditions": _l("conditions"),
    "actions": _l("actions"),
}
LONG_VALUE = 60  # longer values (a template's text, a rule's conditions) are named, not shown


def who_of(event: Event) -> str:
    if event.actor_type == "operator":
        return _("The operator")
    if event.actor_name:
        return event.actor_name
    return _("The system") if event.actor_type == "system" else _("Someone")


def value_text(key: str, value, names: Names) -> str:
    """One stored value as a person reads it: a name for an id, a label for a code."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(value_text(key, item, names) for item in value)
    if key in NAME_KEYS:
        return names.name(NAME_KEYS[key], value)
    if key == "role":
        return str(ROLE_LABELS.get(value, value))
    if key == "language":
        return language_name(value)
    if key in TICKET_KEYS and value in TICKET_LABELS:
        return str(TICKET_LABELS[value])
    return str(value)


def changes_text(before: dict, after: dict, names: Names, labels: dict | None = None) -> str:
    """``name: Support → Help; description`` — the fields that differ, short values shown
    (``labels`` name the fields; a custom field's values are named by its label)."""
    labels = FIELD_LABELS if labels is None else labels
    parts = []
    for key in list(after) + [k for k in before if k not in after]:
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        label = str(labels.get(key) or key)
        old_text, new_text = value_text(key, old, names), value_text(key, new, names)
        if isinstance(old, dict) or isinstance(new, dict) or \
                len(old_text) + len(new_text) > LONG_VALUE:
            parts.append(label)
        else:
            parts.append(f"{label}: {old_text} → {new_text}")
    return "; ".join(parts) or "—"


def data_of(event: Event) -> dict:
    return event.data if isinstance(event.data, dict) else {}


def changes(event: Event, names: Names, labels: dict | None = None) -> str:
    data = data_of(event)
    return changes_text(data.get("before") or {}, data.get("after") or {}, names, labels)


def number(event: Event, names: Names) -> str:
    """The ticket's number: events about a ticket carry it; older ones are looked up."""
    data = data_of(event)
    if "number" in data:
        return str(data["number"])
    return names.name("ticket", event.object_id, fallback="?")


def object_name(event: Event, names: Names, kind: str, *keys: str) -> str:
    """The object's name as the event stored it (it may be gone since), else as it is now."""
    data = data_of(event)
    for source in (data, data.get("after") or {}, data.get("before") or {}):
        if isinstance(source, dict):
            for key in keys:
                if source.get(key):
                    return str(source[key])
    return names.name(kind, event.object_id)


def plan_label(name) -> str:
    return str(CATALOG_LABELS.get(name, name or "—"))


def amount(event: Event, names: Names, key: str = "amount") -> str:
    return money(int(data_of(event).get(key) or 0), names.currency)
