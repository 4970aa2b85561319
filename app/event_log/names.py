"""Names for the ids a page of events mentions, loaded in one query per kind.

Events keep ids (a department, an assignee, a rule); a page shows names. Collecting the
ids of the whole page first keeps a 50-event page at a handful of queries, not one per row.
"""
from dataclasses import dataclass, field

from sqlalchemy import select

from app.customers.models import Organization
from app.departments.models import Department
from app.events.models import Event
from app.extensions import db
from app.responses.models import ResponseTemplate
from app.routing.models import RoutingRule
from app.staff.models import Staff
from app.tickets.models import CustomField, Ticket

# Which kind of row an id in event data points at, by the key it is stored under.
ID_KEYS = {"department_id": "department", "assignee_id": "staff", "set_assignee_id": "staff",
           "staff_id": "staff", "organization_id": "organization",
           "routing_rule_id": "routing_rule"}
MODELS = {"staff": (Staff, Staff.name), "department": (Department, Department.name),
          "organization": (Organization, Organization.name),
          "routing_rule": (RoutingRule, RoutingRule.name),
          "response_template": (ResponseTemplate, ResponseTemplate.name),
          "custom_field": (CustomField, CustomField.label),
          "ticket": (Ticket, Ticket.number)}


@dataclass
class Names:
    """What a page of events needs to speak in names: ``by_kind[kind][id]``, the custom
    fields' labels by key, and the currency its amounts are in."""

    currency: str
    by_kind: dict[str, dict[int, object]] = field(default_factory=dict)
    field_labels: dict[str, str] = field(default_factory=dict)

    def name(self, kind: str, row_id, fallback: str | None = None) -> str:
        try:
            found = self.by_kind.get(kind, {}).get(int(row_id))
        except (TypeError, ValueError):
            found = None
        if found is not None:
            return str(found)
        return fallback or (f"#{row_id}" if row_id not in (None, "") else "—")


def _walk(value, found: dict[str, set[int]]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            kind = ID_KEYS.get(key)
            if kind and isinstance(item, int) and not isinstance(item, bool):
                found[kind].add(item)
            else:
                _walk(item, found)
    elif isinstance(value, list):
        for item in value:
            _walk(item, found)


def _object_id(event: Event) -> int | None:
    return int(event.object_id) if (event.object_id or "").isdigit() else None


def wanted_ids(events: list[Event]) -> dict[str, set[int]]:
    """Every id the events' sentences will name, grouped by kind."""
    found: dict[str, set[int]] = {kind: set() for kind in MODELS}
    for event in events:
        data = event.data or {}
        _walk(data, found)
        object_id = _object_id(event)
        if object_id is not None and event.object_type in MODELS and not (
                event.object_type == "ticket" and "number" in data):
            found[event.object_type].add(object_id)
        if event.action == "staff.access_changed":  # {department id: level}, ids as keys
            for side in ("before", "after"):
                found["department"].update(
                    int(key) for key in (data.get(side) or {}) if str(key).isdigit())
    return found


def load_names(events: list[Event], *, currency: str) -> Names:
    """Names for everything ``events`` mention (rows of the current tenant only: the
    session's tenant scoping applies), one query per kind that is needed."""
    names = Names(currency=currency)
    for kind, ids in wanted_ids(events).items():
        if ids:
            model, column = MODELS[kind]
            names.by_kind[kind] = dict(db.session.execute(
                select(model.id, column).where(model.id.in_(ids))).all())
    if any(event.action == "ticket.fields_changed" for event in events):
        names.field_labels = dict(db.session.execute(
            select(CustomField.key, CustomField.label)).all())
    return names
