"""A staff member's conversations, newest activity first, with what they have not read, and
the one number the navigation shows."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select

from app.extensions import db
from app.internal_mail.models import Conversation, InternalMessage, Participant, TicketLink
from app.internal_mail.service import check_allowed
from app.staff.models import Staff
from app.tickets.models import Ticket


@dataclass
class Summary:
    id: int
    subject: str
    last_message_at: datetime
    last_message_id: int
    participants: list[int]
    tickets: list[int]
    unread: int


def _unread_counts(staff_id: int):
    """``(conversation id, unread)`` of every conversation of ``staff_id``: messages of
    others newer than the last one the person read."""
    return (select(Participant.conversation_id, func.count(InternalMessage.id).label("n"))
            .join(InternalMessage, and_(
                InternalMessage.conversation_id == Participant.conversation_id,
                InternalMessage.id > Participant.last_read_message_id,
                InternalMessage.author_id != staff_id))
            .where(Participant.staff_id == staff_id)
            .group_by(Participant.conversation_id))


def unread_total(staff: Staff) -> int:
    """How many messages ``staff`` has not read, across their conversations (one query)."""
    return db.session.scalar(
        select(func.count(InternalMessage.id))
        .join(Participant, and_(Participant.conversation_id == InternalMessage.conversation_id,
                                Participant.staff_id == staff.id))
        .where(InternalMessage.id > Participant.last_read_message_id,
               InternalMessage.author_id != staff.id)) or 0


def conversations_of(*, actor: Staff, before: int | None = None,
                     limit: int = 50) -> tuple[list[Summary], int | None]:
    """A page of ``actor``'s conversations by newest message (keyset ``before`` = a
    ``last_message_id``); returns the page and the key to continue below (None: the end)."""
    check_allowed(actor)
    unread = _unread_counts(actor.id).subquery()
    stmt = (select(Conversation, func.coalesce(unread.c.n, 0))
            .join(Participant, and_(Participant.conversation_id == Conversation.id,
                                    Participant.staff_id == actor.id))
            .outerjoin(unread, unread.c.conversation_id == Conversation.id))
    if before is not None:
        stmt = stmt.where(Conversation.last_message_id < before)
    rows = db.session.execute(
        stmt.order_by(Conversation.last_message_id.desc()).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    ids = [conversation.id for conversation, _n in rows]
    people: dict[int, list[int]] = {i: [] for i in ids}
    linked: dict[int, list[int]] = {i: [] for i in ids}
    if ids:
        for conversation_id, staff_id in db.session.execute(
                select(Participant.conversation_id, Participant.staff_id)
                .where(Participant.conversation_id.in_(ids)).order_by(Participant.staff_id)):
            people[conversation_id].append(staff_id)
        for conversation_id, number in db.session.execute(
                select(TicketLink.conversation_id, Ticket.number)
                .join(Ticket, Ticket.id == TicketLink.ticket_id)
                .where(TicketLink.conversation_id.in_(ids)).order_by(Ticket.number)):
            linked[conversation_id].append(number)
    page = [Summary(c.id, c.subject, c.last_message_at, c.last_message_id, people[c.id],
                    linked[c.id], int(n)) for c, n in rows]
    return page, (page[-1].last_message_id if more and page else None)
