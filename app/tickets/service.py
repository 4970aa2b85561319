"""The ticket service: what the UI, the REST API, the widget, mail import and jobs call.

The functions live in modules by responsibility; this module gathers them so callers
have one import. Service functions take keyword arguments, actor first, flush and never
commit (views, API handlers and jobs commit), and record every change as an event.
"""
from app.tickets.access import can, get_ticket, level_in, require, visible_tickets
from app.tickets.conversation import (
    Collision,
    add_customer_message,
    add_reply,
    add_system_note,
    changes_since,
    messages_of,
)
from app.tickets.creation import create_ticket, register_ticket
from app.tickets.housekeeping import (
    archive,
    archive_closed,
    link,
    linked_tickets,
    merge,
    release_deferred,
    restore,
    trash,
    unarchive,
    unlink,
)
from app.tickets.listing import TicketPage, count_tickets, list_tickets, search_tickets
from app.tickets.signals import TicketDraft
from app.tickets.workflow import (
    assign,
    change_priority,
    change_status,
    change_subject,
    change_type,
    escalate,
    set_custom_fields,
    set_tags,
    transfer,
    update_ticket,
)


def reply(*, actor, ticket, body: str, **kwargs):
    """A public reply (see ``add_reply``)."""
    return add_reply(actor=actor, ticket=ticket, body=body, internal=False, **kwargs)


def add_note(*, actor, ticket, body: str, **kwargs):
    """A private note, never shown or sent to the customer."""
    return add_reply(actor=actor, ticket=ticket, body=body, internal=True, **kwargs)


__all__ = [
    "Collision", "TicketDraft", "TicketPage", "add_customer_message", "add_note", "add_reply",
    "add_system_note", "archive", "archive_closed", "assign", "can", "change_priority",
    "change_status", "change_subject", "change_type", "changes_since", "count_tickets",
    "create_ticket", "escalate", "get_ticket", "level_in", "link", "linked_tickets",
    "list_tickets", "merge", "messages_of", "register_ticket", "release_deferred", "reply",
    "require", "restore", "search_tickets", "set_custom_fields", "set_tags", "transfer",
    "trash", "unarchive", "unlink", "update_ticket", "visible_tickets",
]
