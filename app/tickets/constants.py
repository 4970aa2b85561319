"""The fixed vocabularies of a ticket (API.md lists the same values), with their labels."""
from flask_babel import lazy_gettext as _l

STATUSES = ("new", "open", "pending", "on_hold", "resolved", "closed")
TYPES = ("incident", "service_request", "information_request", "documentation_request",
         "change_request")
PRIORITIES = ("low", "normal", "high", "urgent")
CHANNELS = ("widget", "email", "portal", "api", "staff")
MESSAGE_AUTHORS = ("staff", "customer", "system")
FIELD_KINDS = ("text", "number", "select", "checkbox")
ESCALATION_LEVELS = (1, 2, 3)

# Statuses in which a ticket is finished; leaving them reopens it.
DONE_STATUSES = ("resolved", "closed")
# Statuses that stop the SLA clock (waiting for the customer or a third party).
PAUSED_STATUSES = ("pending", "on_hold")


def sql_in(values: tuple) -> str:
    """``('a', 'b')`` for CHECK constraints, from the same tuples the code validates with."""
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


LABELS = {
    "new": _l("New"), "open": _l("Open"), "pending": _l("Pending customer"),
    "on_hold": _l("On hold"), "resolved": _l("Resolved"), "closed": _l("Closed"),
    "incident": _l("Incident"), "service_request": _l("Service request"),
    "information_request": _l("Information request"),
    "documentation_request": _l("Documentation request"), "change_request": _l("Change request"),
    "low": _l("Low"), "normal": _l("Normal"), "high": _l("High"), "urgent": _l("Urgent"),
    "widget": _l("Widget"), "email": _l("E-mail"), "portal": _l("Portal"), "api": _l("API"),
    "staff": _l("Staff-entered"),
}
