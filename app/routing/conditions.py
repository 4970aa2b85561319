"""Validating a routing rule's conditions and actions before they are stored."""
import re

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from app.customers.models import Organization
from app.errors import NotFound, ValidationFailed
from app.extensions import db
from app.routing.engine import WORDS_IN
from app.staff.service import get_staff
from app.tickets.access import RANK, level_in
from app.tickets.constants import CHANNELS, PRIORITIES, TYPES
from app.tickets.models import CustomField
from app.tickets.validation import check_choice, clean_tags, department_or_404

MAX_ITEMS = 100
SENDER = re.compile(r"^(?:[^@\s]+@)?@?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)+$")


def _strings(field: str, values, *, max_length: int) -> list[str]:
    if not isinstance(values, list) or len(values) > MAX_ITEMS:
        raise ValidationFailed(fields={field: ngettext(
            "Expected a list of at most %(num)d entry.",
            "Expected a list of at most %(num)d entries.", MAX_ITEMS)})
    out = []
    for value in values:
        value = str(value).strip()
        if len(value) > max_length:
            raise ValidationFailed(fields={field: ngettext(
                "Entries are at most %(num)d character.",
                "Entries are at most %(num)d characters.", max_length)})
        if value and value not in out:
            out.append(value)
    return out


def clean_conditions(raw: dict) -> dict:
    """The conditions to store, keeping only those that say something."""
    fields, out = {}, {}
    channels = _strings("conditions.channels", raw.get("channels") or [], max_length=16)
    bad = [c for c in channels if c not in CHANNELS]
    if bad:
        fields["conditions.channels"] = _("Choose from: %(values)s.", values=", ".join(CHANNELS))
    senders = [s.lower() for s in _strings("conditions.senders", raw.get("senders") or [],
                                           max_length=254)]
    wrong = [s for s in senders if not SENDER.match(s)]
    if wrong:
        fields["conditions.senders"] = _("Not an address or domain: %(values)s.",
                                         values=", ".join(wrong))
    words = _strings("conditions.words", raw.get("words") or [], max_length=100)
    words_in = raw.get("words_in") or "any"
    if words_in not in WORDS_IN:
        fields["conditions.words_in"] = _("Choose one of: %(values)s.", values=", ".join(WORDS_IN))
    organizations = raw.get("organization_ids") or []
    if not isinstance(organizations, list) or not all(
            isinstance(o, int) and not isinstance(o, bool) for o in organizations):
        fields["conditions.organization_ids"] = _("Expected a list of organization ids.")
    custom = raw.get("custom_fields") or {}
    if not isinstance(custom, dict) or not all(
            isinstance(v, str | int | float | bool) for v in custom.values()):
        fields["conditions.custom_fields"] = _("Expected field keys with text, number or "
                                               "true/false values.")
    if fields:
        raise ValidationFailed(fields=fields)
    if custom:
        known = set(db.session.scalars(select(CustomField.key)))
        unknown = sorted(set(custom) - known)
        if unknown:
            raise ValidationFailed(fields={"conditions.custom_fields": _(
                "No such custom field: %(keys)s.", keys=", ".join(unknown))})
    if organizations:
        found = set(db.session.scalars(select(Organization.id).where(
            Organization.id.in_(organizations))))
        if found != set(organizations):
            raise NotFound(_("Organization not found."))
    for key, value in (("channels", channels), ("senders", senders), ("words", words),
                       ("organization_ids", sorted(set(organizations))),
                       ("custom_fields", custom)):
        if value:
            out[key] = value
    if words:
        out["words_in"] = words_in
    return out


def clean_actions(raw: dict) -> dict:
    """The actions as column values; at least one is required, or the rule would only
    stop the rules after it from firing."""
    priority = check_choice("actions.priority", raw.get("priority"), PRIORITIES, optional=True)
    type_ = check_choice("actions.type", raw.get("type"), TYPES, optional=True)
    tags = clean_tags(raw.get("tags") or [])
    department_id, assignee_id = raw.get("department_id"), raw.get("assignee_id")
    department_or_404(department_id)
    if assignee_id is not None:
        staff = get_staff(assignee_id)
        level = level_in(staff, department_id) if department_id is not None else "reply"
        if not staff.active or level is None or RANK[level] < RANK["reply"]:
            raise ValidationFailed(fields={"actions.assignee_id": _(
                "%(name)s can't take tickets of this department.", name=staff.name)})
    actions = {"department_id": department_id, "assignee_id": assignee_id,
               "priority": priority, "type": type_, "tags": tags}
    if not any(actions.values()):
        raise ValidationFailed(fields={"actions": _("Choose at least one action.")})
    return actions
