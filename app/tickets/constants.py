"""The fixed vocabularies of a ticket (API.md lists the same values), with their labels.

Each is defined once, as a ``Literal``: the API's models use the type (and the OpenAPI
document shows it as an enum), the services, forms and database checks use the tuple of
its values taken from it — so adding a value is one edit.
"""
from typing import Literal, get_args

from flask_babel import lazy_gettext as _l

Status = Literal["new", "open", "pending", "on_hold", "resolved", "closed"]
Type = Literal["incident", "service_request", "information_request", "documentation_request",
               "change_request"]
Priority = Literal["low", "normal", "high", "urgent"]
Channel = Literal["widget", "email", "portal", "api", "staff"]
MessageAuthor = Literal["staff", "customer", "system"]
FieldKind = Literal["text", "number", "select", "checkbox"]

STATUSES: tuple[str, ...] = get_args(Status)
TYPES: tuple[str, ...] = get_args(Type)
PRIORITIES: tuple[str, ...] = get_args(Priority)
CHANNELS: tuple[str, ...] = get_args(Channel)
MESSAGE_AUTHORS: tuple[str, ...] = get_args(MessageAuthor)
FIELD_KINDS: tuple[str, ...] = get_args(FieldKind)
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

# The labels grouped per vocabulary, for selects and badges.
STATUS_LABELS = {value: LABELS[value] for value in STATUSES}
PRIORITY_LABELS = {value: LABELS[value] for value in PRIORITIES}
TYPE_LABELS = {value: LABELS[value] for value in TYPES}
CHANNEL_LABELS = {value: LABELS[value] for value in CHANNELS}
# What a reply may set the status to: answering is what takes a ticket out of "new".
REPLY_STATUSES = tuple(value for value in STATUSES if value != "new")
