"""The letters the help desk writes, and the placeholders each may use.

Every kind takes the placeholders of response templates (``app.responses.render.KNOWN``
and ``ticket.custom.<key>``) plus a few of its own: the company's name, and what only that
letter has (the reply's text, the rating link, the staff member written to, the ticket's
page for staff).
"""
from typing import Literal, get_args

from flask_babel import lazy_gettext as _l

from app.responses.render import template_problems

Kind = Literal["receipt", "reply", "resolved", "staff_new_ticket", "staff_assigned"]
KINDS: tuple[str, ...] = get_args(Kind)
CUSTOMER_KINDS = ("receipt", "reply", "resolved")
STAFF_KINDS = ("staff_new_ticket", "staff_assigned")

LABELS = {
    "receipt": _l("Receipt of a new request"),
    "reply": _l("An agent's reply"),
    "resolved": _l("Request resolved"),
    "staff_new_ticket": _l("New ticket in your department (staff)"),
    "staff_assigned": _l("Ticket assigned to you (staff)"),
}

COMMON = ("company.name",)
OWN = {
    "receipt": (),
    "reply": ("reply.body",),
    "resolved": ("ticket.rating_url",),
    "staff_new_ticket": ("staff.name", "ticket.url"),
    "staff_assigned": ("staff.name", "ticket.url"),
}

MAX_SUBJECT = 200
MAX_BODY = 20_000


def extra_placeholders(kind: str) -> tuple[str, ...]:
    """What ``kind`` knows beyond the response templates' placeholders."""
    return COMMON + OWN[kind]


def unknown_placeholders(kind: str, text: str, custom_keys: set[str] | None) -> list[str]:
    """The placeholders in ``text`` that a letter of ``kind`` can't fill, each once."""
    extra = set(extra_placeholders(kind))
    return [path for path in template_problems(text, custom_keys) if path not in extra]
