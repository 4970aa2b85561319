"""What a requester does through a portal link: read the public conversation, write again
(with files), say the request is solved or reopen it, list their other requests.

A :class:`Visit` is the requester as the link names them: it is the actor of every
function here (customer actor kind in the event log). Every change goes through the ticket
desk's own services (``add_customer_message``, ``change_status``), so status, SLA, signals
and events follow the same path as any other customer message. Nothing here commits.
"""
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import case, func, select

from app.api.limits import MAX_BODY
from app.attachments.models import Attachment
from app.attachments.service import NewFile, attachments_of
from app.customers.models import Customer
from app.errors import Conflict, NotFound, ServiceError, ValidationFailed
from app.extensions import db
from app.portal.links import Found, find_link, touch
from app.portal.models import PortalLink
from app.tickets import service as tickets
from app.tickets.constants import DONE_STATUSES
from app.tickets.models import Message, Ticket
from app.tickets.sanitize import TEXT

# Where "it's solved" applies: anything not closed (a resolved request is then confirmed).
SOLVABLE = ("new", "open", "pending", "on_hold", "resolved")
PAGE_SIZE = 25
MAX_PAGE = 400  # 10,000 requests: far more than one person writes


class LinkRefused(ServiceError):
    """The link shows no ticket: ``state`` is ``invalid`` (altered, unknown, another
    tenant's, a ticket in the trash) or ``expired``; ``found`` keeps what the token named."""

    status, code = 404, "not_found"
    default_message = _l("This link is not valid.")

    def __init__(self, found: Found):
        expired = found.state == "expired"
        super().__init__(_l("This link has expired.") if expired else None)
        self.state, self.found = found.state, found
        self.status = 410 if expired else 404


class Registering(Exception):  # noqa: N818  (not an error: the ticket is on its way)
    """The link's request is stored and its ticket is being made (within a second):
    ``number`` is the one it will have."""

    def __init__(self, number: int):
        super().__init__(number)
        self.number = number


@dataclass(frozen=True)
class Visit:
    """A requester who opened a working link: the link, its ticket, and themselves."""

    link: PortalLink
    ticket: Ticket
    customer: Customer

    @property
    def actor(self) -> dict:
        return {"type": "customer", "id": self.customer.id,
                "name": self.customer.display_name}


def open_visit(token: str) -> Visit:
    """The visit a link's token opens in the current tenant (refreshing its 30 days);
    ``LinkRefused`` when the link is not valid or has expired."""
    found = find_link(token)
    if found.state == "registering":
        raise Registering(found.number)
    if found.state != "ok":
        raise LinkRefused(found)
    ticket = db.session.get(Ticket, found.link.ticket_id)
    customer = db.session.get(Customer, found.link.customer_id)
    if ticket is None or customer is None or ticket.deleted_at is not None or \
            ticket.customer_id != customer.id:  # the link was its requester's, not the ticket's
        raise LinkRefused(Found("invalid"))
    touch(found.link)
    return Visit(found.link, ticket, customer)


def conversation(visit: Visit) -> tuple[list[Message], dict[int, list[Attachment]]]:
    """The public messages of the ticket (never internal notes nor system lines) and their
    attachments by message id."""
    messages = tickets.messages_of(visit.ticket, include_internal=False)
    return messages, attachments_of([m.id for m in messages])


def merged_into(visit: Visit) -> Ticket | None:
    """The ticket this one was merged into, when it is the same requester's."""
    if visit.ticket.merged_into_id is None:
        return None
    survivor = db.session.get(Ticket, visit.ticket.merged_into_id)
    if survivor is None or survivor.customer_id != visit.customer.id or survivor.deleted_at:
        return None
    return survivor


def _workable(visit: Visit) -> None:
    if visit.ticket.merged_into_id is not None:
        raise Conflict(_("This request was merged into another one; continue there."))


def reply(visit: Visit, *, body: str, files: list[NewFile]) -> Message:
    """The requester writes again, with attachments checked against the tenant's rules
    (413 or 422 before anything is written). A solved or waiting request reopens."""
    _workable(visit)
    if len(body or "") > MAX_BODY:
        raise ValidationFailed(fields={"body": ngettext(
            "The message is too long: at most %(num)d character.",
            "The message is too long: at most %(num)d characters.", MAX_BODY)})
    return tickets.add_customer_message(ticket=visit.ticket, customer=visit.customer,
                                        body=body, attachments=files, body_format=TEXT)


def _change(visit: Visit, *, seen_status: str | None, allowed: tuple, to: str) -> bool:
    """Move the ticket to ``to`` if it is still in the status the page showed (a second
    click, or a change by an agent meanwhile, does nothing) and that status allows it."""
    _workable(visit)
    status = visit.ticket.status
    if seen_status != status or status not in allowed:
        return False
    tickets.change_status(actor=visit.actor, ticket=visit.ticket, status=to)
    return True


def solve(visit: Visit, *, seen_status: str | None) -> bool:
    """"It's solved": an open request becomes resolved; one an agent resolved is confirmed
    and closed."""
    to = "closed" if visit.ticket.status == "resolved" else "resolved"
    return _change(visit, seen_status=seen_status, allowed=SOLVABLE, to=to)


def reopen(visit: Visit, *, seen_status: str | None) -> bool:
    """A resolved or closed request goes back to the team."""
    return _change(visit, seen_status=seen_status, allowed=DONE_STATUSES, to="open")


def own_tickets(customer_id: int):
    """``select(Ticket)`` of a requester's requests as the portal lists them and mails
    links to: not in the trash, not merged away (the survivor is listed), not held back by
    a stop list (no letters to what it caught)."""
    return select(Ticket).where(Ticket.customer_id == customer_id, Ticket.deleted_at.is_(None),
                                Ticket.merged_into_id.is_(None), Ticket.spam.is_(False))


def requester_tickets(visit: Visit, *, page: int = 1) -> tuple[list[Ticket], bool]:
    """The requester's requests at this company, unfinished first, newest activity first;
    ``PAGE_SIZE`` a page. Returns the page and whether another follows."""
    page = min(max(page, 1), MAX_PAGE)
    done_last = case((Ticket.status.in_(DONE_STATUSES), 1), else_=0)
    rows = db.session.scalars(
        own_tickets(visit.customer.id).order_by(done_last, Ticket.updated_at.desc(),
                                              Ticket.id.desc())
        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)).all()
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def count_requests(visit: Visit) -> int:
    return db.session.scalar(select(func.count()).select_from(
        own_tickets(visit.customer.id).subquery()))


def requester_ticket(visit: Visit, number: int) -> Ticket:
    """Another request of the same requester, by number; anyone else's is not found."""
    ticket = db.session.scalar(own_tickets(visit.customer.id).where(Ticket.number == number))
    if ticket is None:
        raise NotFound(_("Request not found."))
    return ticket


def public_attachment(visit: Visit, attachment_id: int) -> Attachment:
    """A file of a public message of the visit's ticket; anything else is not found."""
    attachment = db.session.get(Attachment, attachment_id)
    message = db.session.get(Message, attachment.message_id) if attachment and \
        attachment.message_id else None
    if message is None or message.internal or message.ticket_id != visit.ticket.id:
        raise NotFound(_("File not found."))
    return attachment
