"""API: tickets — list and search, create, read, change, reply or note, trash and restore."""

from app.api.core import endpoint, error_payload
from app.api.pagination import cursor_of, page_of
from app.attachments.service import attachments_of
from app.extensions import db
from app.tickets import service
from app.tickets.schemas import (
    MessageCreated,
    MessageIn,
    TicketIn,
    TicketList,
    TicketListQuery,
    TicketOut,
    TicketPatch,
)
from app.tickets.serialize import message_json, ticket_json

FILTERS = ("status", "priority", "type", "department_id", "assignee_id", "unassigned", "tag",
           "requester_email", "customer_id", "organization_id")


def page_json(result) -> dict:
    return page_of(result.items, result.next_cursor,
                   lambda ticket: ticket_json(ticket, messages=False))


@endpoint("/tickets", "GET", summary="List or search tickets (newest first)", tag="tickets",
          query=TicketListQuery, response=TicketList)
def list_tickets(staff, query: TicketListQuery):
    filters = {name: getattr(query, name) for name in FILTERS}
    cursor = cursor_of(query)
    # deferred/deleted/archived/spam: false hides them (the inbox), true shows only them.
    flags = {"deferred": query.deferred, "deleted": query.deleted, "spam": query.spam,
             "archived": True if query.archived else (None if query.q else False)}
    result = service.list_tickets(staff, cursor=cursor, limit=query.limit, q=query.q,
                                  **filters, **flags)
    return page_json(result)


@endpoint("/tickets", "POST", summary="Create a ticket (channel: api)", tag="tickets",
          body=TicketIn, response=TicketOut, status=201, errors=(404,))
def create_ticket(staff, data: TicketIn):
    new = service.register_ticket(
        actor=staff, channel="api", subject=data.subject, body=data.body,
        body_format=data.body_format,
        requester_email=data.requester.email, requester_name=data.requester.name,
        department_id=data.department_id, type=data.type, priority=data.priority,
        status=data.status, assignee_id=data.assignee_id, tags=data.tags,
        custom_fields=data.custom_fields, attachment_ids=data.attachment_ids)
    # Answered from what was just written: a new ticket has this one message and no links.
    return ticket_json(new.ticket, conversation=[(new.message, new.attachments)]), 201


@endpoint("/tickets/<int:number>", "GET", summary="A ticket with its conversation",
          tag="tickets", response=TicketOut, errors=(404,))
def get_ticket(staff, number: int):
    return ticket_json(service.get_ticket(staff, number))


@endpoint("/tickets/<int:number>", "PATCH",
          summary="Change status, priority, type, department, assignee, tags, custom fields",
          tag="tickets", body=TicketPatch, response=TicketOut, errors=(403, 404, 409))
def update_ticket(staff, number: int, data: TicketPatch):
    ticket = service.get_ticket(staff, number)
    service.update_ticket(actor=staff, ticket=ticket, changes=data.model_dump(exclude_unset=True))
    return ticket_json(ticket)


@endpoint("/tickets/<int:number>/messages", "POST",
          summary="A public reply or a private note (internal: true)", tag="tickets",
          body=MessageIn, response=MessageCreated, status=201, errors=(403, 404, 409))
def add_message(staff, number: int, data: MessageIn):
    ticket = service.get_ticket(staff, number)
    try:
        message = service.add_reply(
            actor=staff, ticket=ticket, body=data.body, body_format=data.body_format,
            internal=data.internal,
            seen_version=data.seen_version, force=data.force, status=data.status,
            attachment_ids=data.attachment_ids)
    except service.Collision as exc:
        db.session.rollback()
        payload = error_payload(exc)
        payload["error"]["changes"] = exc.changes
        return payload, 409
    files = attachments_of([message.id]).get(message.id, [])
    return {"message": message_json(message, files), "ticket": ticket_json(ticket)}, 201


@endpoint("/tickets/<int:number>", "DELETE", summary="Move a ticket to the trash (manage right)",
          tag="tickets", status=204, errors=(403, 404))
def trash_ticket(staff, number: int):
    service.trash(actor=staff, ticket=service.get_ticket(staff, number))


@endpoint("/tickets/<int:number>/restore", "POST",
          summary="Restore a ticket from the trash (manage right)", tag="tickets",
          response=TicketOut, errors=(403, 404))
def restore_ticket(staff, number: int):
    ticket = service.restore(actor=staff, ticket=service.get_ticket(staff, number))
    return ticket_json(ticket)
