"""The values a template's placeholders are filled with, taken from a ticket and an agent."""
from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.responses.render import CUSTOM_PREFIX
from app.tickets.models import CustomField


def custom_field_keys() -> set[str]:
    """The current tenant's custom field keys (active or not: old tickets still have them)."""
    return set(db.session.scalars(select(CustomField.key)))


def _display(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def ticket_values(ticket, agent) -> dict[str, str | None]:
    """The flat ``{path: text}`` dict ``render`` substitutes (unescaped: render escapes)."""
    customer = getattr(ticket, "customer", None)
    values = {
        "customer.name": customer.display_name if customer is not None else None,
        "ticket.number": str(ticket.number),
        "ticket.subject": ticket.subject,
        "agent.name": getattr(agent, "name", None),
        # No status page for customers yet: the placeholder renders empty and the render
        # result reports it as missing.
        "ticket.status_url": None,
    }
    for key, value in (getattr(ticket, "custom_fields", None) or {}).items():
        values[CUSTOM_PREFIX + key] = _display(value)
    return values
