"""API: working a ticket — assign, transfer, escalate, merge, link, archive, history."""
from flask_babel import gettext as _
from sqlalchemy import select

from app.api.core import endpoint
from app.errors import ValidationFailed
from app.events.models import Event
from app.extensions import db
from app.tickets import service
from app.tickets.schemas import (
    AssignIn,
    EscalateIn,
    LinkIn,
    MergeIn,
    TicketEventList,
    TicketOut,
    TransferIn,
)
from app.tickets.serialize import ticket_json

TAG = "tickets"


def _required(data, name: str) -> None:
    if name not in data.model_fields_set or (name != "assignee_id"
                                             and getattr(data, name) is None):
        raise ValidationFailed(fields={name: _("This field is required.")})


@endpoint("/tickets/<int:number>/assign", "POST",
          summary="Assign to a staff member (null: unassign), with an optional comment",
          tag=TAG, body=AssignIn, response=TicketOut, errors=(403, 404, 409))
def assign(staff, number: int, data: AssignIn):
    ticket = service.get_ticket(staff, number)
    _required(data, "assignee_id")
    service.assign(actor=staff, ticket=ticket, assignee_id=data.assignee_id,
                   comment=data.comment)
    return ticket_json(ticket)


@endpoint("/tickets/<int:number>/transfer", "POST",
          summary="Transfer to another department and/or person with a comment", tag=TAG,
          body=TransferIn, response=TicketOut, errors=(403, 404, 409))
def transfer(staff, number: int, data: TransferIn):
    ticket = service.get_ticket(staff, number)
    service.transfer(actor=staff, ticket=ticket, department_id=data.department_id,
                     assignee_id=data.assignee_id, comment=data.comment)
    return ticket_json(ticket)


@endpoint("/tickets/<int:number>/escalate", "POST",
          summary="Escalate to the next support line (1 → 2 → 3)", tag=TAG, body=EscalateIn,
          response=TicketOut, errors=(403, 404, 409))
def escalate(staff, number: int, data: EscalateIn):
    ticket = service.get_ticket(staff, number)
    service.escalate(actor=staff, ticket=ticket, comment=data.comment,
                     department_id=data.department_id, assignee_id=data.assignee_id)
    return ticket_json(ticket)


@endpoint("/tickets/<int:number>/merge", "POST",
          summary="Merge this ticket into another (the conversation moves to the survivor)",
          tag=TAG, body=MergeIn, response=TicketOut, errors=(403, 404, 409))
def merge(staff, number: int, data: MergeIn):
    source = service.get_ticket(staff, number)
    _required(data, "into")
    target = service.get_ticket(staff, data.into)
    service.merge(actor=staff, source=source, target=target)
    return ticket_json(target)


@endpoint("/tickets/<int:number>/links", "POST", summary="Link a related ticket", tag=TAG,
          body=LinkIn, response=TicketOut, status=201, errors=(403, 404))
def link(staff, number: int, data: LinkIn):
    ticket = service.get_ticket(staff, number)
    _required(data, "number")
    service.link(actor=staff, ticket=ticket, other=service.get_ticket(staff, data.number))
    return ticket_json(ticket), 201


@endpoint("/tickets/<int:number>/links/<int:other_number>", "DELETE",
          summary="Remove the link between two tickets", tag=TAG, status=204,
          errors=(403, 404))
def unlink(staff, number: int, other_number: int):
    ticket = service.get_ticket(staff, number)
    service.unlink(actor=staff, ticket=ticket, other=service.get_ticket(staff, other_number))


@endpoint("/tickets/<int:number>/archive", "POST",
          summary="Move a closed ticket to the archive (out of daily views, still searchable)",
          tag=TAG, response=TicketOut, errors=(403, 404, 409))
def archive(staff, number: int):
    ticket = service.archive(actor=staff, ticket=service.get_ticket(staff, number))
    return ticket_json(ticket)


@endpoint("/tickets/<int:number>/unarchive", "POST", summary="Take a ticket out of the archive",
          tag=TAG, response=TicketOut, errors=(403, 404))
def unarchive(staff, number: int):
    ticket = service.unarchive(actor=staff, ticket=service.get_ticket(staff, number))
    return ticket_json(ticket)


@endpoint("/tickets/<int:number>/events", "GET",
          summary="The ticket's history: who did what, before and after", tag=TAG,
          response=TicketEventList, errors=(404,))
def history(staff, number: int):
    ticket = service.get_ticket(staff, number)
    events = db.session.scalars(select(Event).where(
        Event.object_type == "ticket", Event.object_id == str(ticket.id)).order_by(Event.id))
    return {"items": [{"id": e.id, "at": e.at.isoformat(),
                       "actor": {"type": e.actor_type, "id": e.actor_id, "name": e.actor_name},
                       "action": e.action, "data": e.data} for e in events]}
