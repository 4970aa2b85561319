"""Merging, linking, trash and restore, the archive, and releasing deferred tickets."""
from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update

from app.attachments.models import Attachment
from app.db_types import utcnow
from app.errors import Conflict, ValidationFailed
from app.events.service import record_event
from app.extensions import db
from app.tickets import search, signals
from app.tickets.access import require
from app.tickets.conversation import add_system_note, ensure_workable
from app.tickets.models import Message, Ticket, TicketLink
from app.tickets.status import set_status


def trash(*, actor, ticket: Ticket) -> Ticket:
    """Move to the trash (manage right); nothing is deleted, restore brings it back."""
    require(actor, ticket, "manage")
    if ticket.deleted_at is None:
        ticket.deleted_at = utcnow()
        db.session.flush()
        record_event(actor, "ticket.trashed", ticket, {"number": ticket.number})
    return ticket


def restore(*, actor, ticket: Ticket) -> Ticket:
    """Take a ticket out of the trash (manage right)."""
    require(actor, ticket, "manage")
    if ticket.deleted_at is not None:
        ticket.deleted_at = None
        db.session.flush()
        record_event(actor, "ticket.restored", ticket, {"number": ticket.number})
    return ticket


def archive(*, actor, ticket: Ticket) -> Ticket:
    """Put a closed ticket in the archive: out of the daily views, still searchable."""
    require(actor, ticket, "reply")
    if ticket.status != "closed":
        raise Conflict(_("Only closed tickets go to the archive."))
    if ticket.archived_at is None:
        ticket.archived_at = utcnow()
        db.session.flush()
        record_event(actor, "ticket.archived", ticket, {"number": ticket.number})
    return ticket


def unarchive(*, actor, ticket: Ticket) -> Ticket:
    require(actor, ticket, "reply")
    if ticket.archived_at is not None:
        ticket.archived_at = None
        db.session.flush()
        record_event(actor, "ticket.unarchived", ticket, {"number": ticket.number})
    return ticket


def archive_closed(*, before) -> int:
    """Archive every ticket closed before ``before`` (the archive job, per tenant)."""
    result = db.session.execute(
        update(Ticket).where(Ticket.status == "closed", Ticket.closed_at < before,
                             Ticket.archived_at.is_(None)).values(archived_at=utcnow()))
    if result.rowcount:
        record_event(None, "ticket.archived_closed", None, {"count": result.rowcount,
                                                            "closed_before": before.isoformat()})
    return result.rowcount


def merge(*, actor, source: Ticket, target: Ticket) -> Ticket:
    """Merge ``source`` into ``target``: the conversation and attachments move to the
    survivor, tags are joined, ``source`` points to it and is closed. Reply right on both."""
    require(actor, source, "reply")
    require(actor, target, "reply")
    if source.id == target.id:
        raise ValidationFailed(fields={"into": _("A ticket can't be merged into itself.")})
    ensure_workable(source)
    ensure_workable(target)
    moved = db.session.execute(update(Message).where(Message.ticket_id == source.id)
                               .values(ticket_id=target.id)).rowcount
    db.session.execute(update(Attachment).where(Attachment.ticket_id == source.id)
                       .values(ticket_id=target.id))
    target.tags = list(dict.fromkeys(list(target.tags or []) + list(source.tags or [])))
    source.merged_into_id = target.id
    target.version += 1
    target.updated_at = utcnow()
    add_system_note(target, _("Ticket #%(n)d was merged into this one.", n=source.number),
                    actor=actor)
    add_system_note(source, _("Merged into #%(n)d.", n=target.number), actor=actor)
    set_status(actor=actor, ticket=source, status="closed")
    db.session.flush()
    search.reindex(source)
    search.reindex(target)
    record_event(actor, "ticket.merged", source, {"number": source.number,
                                                  "into": target.number, "messages": moved})
    record_event(actor, "ticket.merged_in", target, {"number": target.number,
                                                     "from": source.number})
    signals.changed(target, "merged")
    return target


def _pair(a: Ticket, b: Ticket) -> tuple[int, int]:
    return (a.id, b.id) if a.id < b.id else (b.id, a.id)


def link(*, actor, ticket: Ticket, other: Ticket) -> None:
    """Mark two tickets as related (reply right on the first, sight of the second)."""
    require(actor, ticket, "reply")
    require(actor, other, "view")
    if ticket.id == other.id:
        raise ValidationFailed(fields={"number": _("A ticket can't be linked to itself.")})
    low, high = _pair(ticket, other)
    if db.session.get(TicketLink, (low, high)) is None:
        db.session.add(TicketLink(ticket_id=low, linked_id=high))
        db.session.flush()
        record_event(actor, "ticket.linked", ticket, {"number": ticket.number,
                                                      "other": other.number})


def unlink(*, actor, ticket: Ticket, other: Ticket) -> None:
    require(actor, ticket, "reply")
    low, high = _pair(ticket, other)
    removed = db.session.execute(delete(TicketLink).where(
        TicketLink.ticket_id == low, TicketLink.linked_id == high)).rowcount
    if removed:
        record_event(actor, "ticket.unlinked", ticket, {"number": ticket.number,
                                                        "other": other.number})


def linked_tickets(ticket: Ticket) -> list[Ticket]:
    ids = select(TicketLink.linked_id).where(TicketLink.ticket_id == ticket.id).union(
        select(TicketLink.ticket_id).where(TicketLink.linked_id == ticket.id))
    return db.session.scalars(select(Ticket).where(Ticket.id.in_(ids))
                              .order_by(Ticket.number)).all()


def release_deferred(*, limit: int) -> list[Ticket]:
    """Bring up to ``limit`` deferred tickets (oldest first) into the inbox — billing calls
    this when a new day's quota (or a bigger plan) makes room. Trashed ones (spam) stay
    put: they don't take a place in the day's quota."""
    tickets = db.session.scalars(select(Ticket).where(Ticket.deferred.is_(True),
                                                      Ticket.deleted_at.is_(None))
                                 .order_by(Ticket.id).limit(limit)).all()
    for ticket in tickets:
        ticket.deferred = False
        record_event(None, "ticket.released", ticket, {"number": ticket.number})
        signals.changed(ticket, "released")
    db.session.flush()
    return tickets


def usage_of_department(_app, *, department_id: int) -> int:
    """Receiver of ``department_deleting``: how many tickets (trashed ones too) sit in the
    department; it can't be deleted then."""
    return db.session.scalar(select(func.count()).select_from(Ticket)
                             .where(Ticket.department_id == department_id))


def references_to_staff(_app, *, staff_id: int) -> int:
    """Receiver of ``staff_deleting``: tickets assigned to, and messages or files by, a staff
    member; the history keeps them, so such a person is deactivated rather than deleted."""
    tickets = db.session.scalar(select(func.count()).select_from(Ticket)
                                .where(Ticket.assignee_id == staff_id))
    messages = db.session.scalar(select(func.count()).select_from(Message)
                                 .where(Message.staff_id == staff_id))
    files = db.session.scalar(select(func.count()).select_from(Attachment)
                              .where(Attachment.uploaded_by_id == staff_id))
    return tickets + messages + files


def unlink_organization(_app, *, organization_id: int) -> None:
    """Receiver of ``organization_deleting``: its tickets lose the link."""
    db.session.execute(update(Ticket).where(Ticket.organization_id == organization_id)
                       .values(organization_id=None))

