"""Tickets and messages as JSON, exactly as API.md describes them (plus a few extras)."""
from app.attachments.responses import attachment_json
from app.attachments.service import attachments_of
from app.extensions import db
from app.tickets.conversation import messages_of
from app.tickets.housekeeping import linked_tickets
from app.tickets.models import Message, Ticket
from app.tickets.rows import TicketRow


def _iso(value):
    return value.isoformat() if value is not None else None


def message_json(message: Message, files: list | None = None) -> dict:
    return {"id": message.id,
            "author": {"kind": message.author_kind, "name": message.author_name},
            "body_html": message.body_html, "internal": message.internal,
            "created_at": _iso(message.created_at),
            "attachments": [attachment_json(a) for a in files or []]}


def ticket_json(ticket: Ticket | TicketRow, *, messages: bool = True,
                conversation: list[tuple[Message, list]] | None = None) -> dict:
    """The API's ticket. Lists leave out ``messages`` (and links) to stay fast.
    ``conversation``: the ticket's messages with their attachments when the caller already
    holds all of them (a ticket just created has one message and no links yet)."""
    customer = ticket.customer
    out = {
        "number": ticket.number, "subject": ticket.subject, "status": ticket.status,
        "type": ticket.type, "priority": ticket.priority, "channel": ticket.channel,
        "department_id": ticket.department_id, "assignee_id": ticket.assignee_id,
        "requester": {"email": customer.email if customer else None,
                      "name": customer.name if customer else None},
        "tags": list(ticket.tags or []), "deferred": ticket.deferred, "spam": ticket.spam,
        "created_at": _iso(ticket.created_at), "first_response_at": _iso(ticket.first_response_at),
        "resolved_at": _iso(ticket.resolved_at), "closed_at": _iso(ticket.closed_at),
        # Beyond API.md's list:
        "received_at": _iso(ticket.received_at), "updated_at": _iso(ticket.updated_at),
        "organization_id": ticket.organization_id, "customer_id": ticket.customer_id,
        "custom_fields": dict(ticket.custom_fields or {}),
        "escalation_level": ticket.escalation_level, "version": ticket.version,
        "requester_verified": ticket.requester_verified,
        "deleted": ticket.deleted_at is not None, "archived": ticket.archived_at is not None,
        "merged_into": None,
        "sla": {"first_response_due_at": _iso(ticket.first_response_due_at),
                "resolution_due_at": _iso(ticket.resolution_due_at),
                "breached": ticket.sla_breached},
    }
    if isinstance(ticket, TicketRow):  # a list's row holds the survivor's number
        out["merged_into"] = ticket.merged_into_number
    elif ticket.merged_into_id is not None:
        survivor = db.session.get(Ticket, ticket.merged_into_id)
        out["merged_into"] = survivor.number if survivor else None
    if conversation is not None:
        out["messages"] = [message_json(m, files) for m, files in conversation]
        out["links"] = []
    elif messages:
        rows = messages_of(ticket)
        files = attachments_of([m.id for m in rows])
        out["messages"] = [message_json(m, files.get(m.id)) for m in rows]
        out["links"] = [t.number for t in linked_tickets(ticket)]
    return out
