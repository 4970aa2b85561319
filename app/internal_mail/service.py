"""Internal mail: staff start conversations with colleagues, write in them, link tickets.

Rights, for the pages and the API alike: every staff member may write to colleagues of
their company when it has the ``internal_mail`` add-on (Standard buys it, Pro includes it);
a conversation is seen only by its participants (anyone else gets a 404, as for another
company's); a ticket is linked only by someone who sees it.
"""
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from app.db_types import utcnow
from app.errors import NotFound, ValidationFailed
from app.events.service import record_event
from app.extensions import db
from app.internal_mail.models import Conversation, InternalMessage, Participant, TicketLink
from app.staff.models import Staff
from app.staff.roles import EVERYONE, require_role
from app.tickets.access import can, get_ticket
from app.tickets.models import Ticket
from app.tickets.sanitize import TEXT, prepare_body
from billing.gates import require_addon
from tenants.resolve import current_tenant

ADDON = "internal_mail"
MAX_SUBJECT = 200
MAX_BODY = 20_000
MAX_PARTICIPANTS = 50
MAX_TICKETS = 20


@dataclass
class Thread:
    """A conversation as its reader sees it."""

    conversation: Conversation
    participants: list[Staff]
    messages: list[InternalMessage]
    authors: dict[int, Staff]
    tickets: list[Ticket]
    unread: int


def check_allowed(actor) -> None:
    """Refuse unless ``actor`` is staff of a company with the add-on (402 without it)."""
    require_role(actor, EVERYONE)
    require_addon(current_tenant(), ADDON)


def _body(body: str) -> tuple[str, str]:
    if len(body or "") > MAX_BODY:
        raise ValidationFailed(fields={"body": ngettext(
            "The text is longer than %(num)d character.",
            "The text is longer than %(num)d characters.", MAX_BODY)})
    body_html, body_text = prepare_body(body or "", body_format=TEXT)
    if not body_text.strip():
        raise ValidationFailed(fields={"body": _("Write a message.")})
    return body_html, body_text


def _colleagues(actor: Staff, staff_ids: list[int]) -> list[Staff]:
    ids = sorted(set(staff_ids or []) - {actor.id})
    if not ids:
        raise ValidationFailed(fields={"participants": _("Choose at least one colleague.")})
    if len(ids) > MAX_PARTICIPANTS:
        raise ValidationFailed(fields={"participants": ngettext(
            "Choose at most %(num)d colleague.", "Choose at most %(num)d colleagues.",
            MAX_PARTICIPANTS)})
    found = list(db.session.scalars(select(Staff).where(Staff.id.in_(ids),
                                                        Staff.active.is_(True))))
    if len(found) != len(ids):
        raise NotFound(_("Staff member not found."))
    return found


def _tickets(actor: Staff, numbers: list[int]) -> list[Ticket]:
    numbers = sorted(set(numbers or []))
    if len(numbers) > MAX_TICKETS:
        raise ValidationFailed(fields={"tickets": ngettext(
            "Link at most %(num)d ticket.", "Link at most %(num)d tickets.", MAX_TICKETS)})
    return [get_ticket(actor, number) for number in numbers]


def _link(conversation: Conversation, tickets: list[Ticket]) -> None:
    have = set(db.session.scalars(select(TicketLink.ticket_id).where(
        TicketLink.conversation_id == conversation.id)))
    for ticket in tickets:
        if ticket.id not in have:
            db.session.add(TicketLink(conversation_id=conversation.id, ticket_id=ticket.id))


def _write(actor: Staff, conversation: Conversation, body_html: str,
           body_text: str) -> InternalMessage:
    now = utcnow()
    message = InternalMessage(conversation_id=conversation.id, author_id=actor.id,
                              body_html=body_html, body_text=body_text, created_at=now)
    db.session.add(message)
    db.session.flush()
    conversation.last_message_at, conversation.last_message_id = now, message.id
    return message


def start_conversation(*, actor: Staff, subject: str, body: str, participant_ids: list[int],
                       ticket_numbers: list[int] | None = None) -> Conversation:
    """A new conversation of ``actor`` with colleagues, its first message, linked tickets."""
    check_allowed(actor)
    subject = " ".join((subject or "").split())
    if not 1 <= len(subject) <= MAX_SUBJECT:
        raise ValidationFailed(fields={"subject": _("Enter a subject of 1–200 characters.")})
    body_html, body_text = _body(body)
    colleagues = _colleagues(actor, participant_ids)
    tickets = _tickets(actor, ticket_numbers or [])
    conversation = Conversation(subject=subject, started_by_id=actor.id)
    db.session.add(conversation)
    db.session.flush()
    message = _write(actor, conversation, body_html, body_text)
    for person in [actor, *colleagues]:
        db.session.add(Participant(
            conversation_id=conversation.id, staff_id=person.id,
            last_read_message_id=message.id if person.id == actor.id else 0))
    _link(conversation, tickets)
    db.session.flush()
    record_event(actor, "internal_mail.started", conversation, {
        "subject": subject, "participants": [p.id for p in colleagues],
        "tickets": [t.number for t in tickets]})
    return conversation


def _participant(actor: Staff, conversation_id: int) -> tuple[Conversation, Participant]:
    """The conversation and ``actor``'s place in it; 404 for anyone else (checked before
    the add-on, so another company's conversation is a 404 whatever its plan)."""
    require_role(actor, EVERYONE)
    row = db.session.execute(
        select(Conversation, Participant)
        .join(Participant, Participant.conversation_id == Conversation.id)
        .where(Conversation.id == conversation_id, Participant.staff_id == actor.id)).first()
    if row is None:
        raise NotFound(_("Conversation not found."))
    return row[0], row[1]


def post_message(*, actor: Staff, conversation_id: int, body: str | None,
                 ticket_numbers: list[int] | None = None) -> InternalMessage:
    """``actor`` writes in a conversation they take part in (and may link more tickets)."""
    conversation, me = _participant(actor, conversation_id)
    check_allowed(actor)
    body_html, body_text = _body(body)
    tickets = _tickets(actor, ticket_numbers or [])
    message = _write(actor, conversation, body_html, body_text)
    me.last_read_message_id = message.id
    _link(conversation, tickets)
    db.session.flush()
    record_event(actor, "internal_mail.posted", conversation, {
        "subject": conversation.subject, "message_id": message.id,
        "tickets": [t.number for t in tickets]})
    return message


def read_conversation(*, actor: Staff, conversation_id: int) -> Thread:
    """The conversation with every message; opening it marks it read for ``actor``."""
    conversation, me = _participant(actor, conversation_id)
    check_allowed(actor)
    unread = unread_in(actor, conversation.id, me.last_read_message_id)
    messages = list(db.session.scalars(select(InternalMessage).where(
        InternalMessage.conversation_id == conversation.id).order_by(InternalMessage.id)))
    participants = list(db.session.scalars(
        select(Staff).join(Participant, Participant.staff_id == Staff.id)
        .where(Participant.conversation_id == conversation.id).order_by(Staff.name)))
    authors = {person.id: person for person in participants}
    tickets = [ticket for ticket in db.session.scalars(
        select(Ticket).join(TicketLink, TicketLink.ticket_id == Ticket.id)
        .where(TicketLink.conversation_id == conversation.id).order_by(Ticket.number))
        if can(actor, ticket)]
    if messages and me.last_read_message_id < messages[-1].id:
        me.last_read_message_id = messages[-1].id
    return Thread(conversation, participants, messages, authors, tickets, unread)


def unread_in(actor: Staff, conversation_id: int, last_read: int) -> int:
    return db.session.scalar(select(func.count()).select_from(InternalMessage).where(
        InternalMessage.conversation_id == conversation_id, InternalMessage.id > last_read,
        InternalMessage.author_id != actor.id)) or 0
