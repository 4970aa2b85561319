"""The conversation: public replies, private notes, customer messages, system lines,
and collision protection for replies that would cross a colleague's."""
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.attachments import service as files_service
from app.db_types import utcnow
from app.errors import Conflict, ValidationFailed
from app.events.models import Event
from app.events.service import record_event
from app.extensions import db
from app.staff.models import Staff
from app.tickets import search, signals
from app.tickets.access import require
from app.tickets.models import Message, Ticket
from app.tickets.sanitize import BODY_FORMATS, TEXT, prepare_body
from app.tickets.status import set_status
from app.tickets.validation import check_choice


class Collision(Conflict):
    """Someone replied or changed the status since the agent opened the ticket; the reply is
    held. ``changes`` says what happened, so the agent can read it and confirm (force)."""

    code = "collision"
    default_message = _l("The ticket changed while you were writing; review and send again.")

    def __init__(self, message=None, *, changes: dict):
        super().__init__(message)
        self.changes = changes


def ensure_workable(ticket: Ticket) -> None:
    """Trashed and merged tickets take no new work until restored (or use the survivor)."""
    if ticket.deleted_at is not None:
        raise Conflict(_("Ticket #%(n)d is in the trash; restore it first.", n=ticket.number))
    if ticket.merged_into_id is not None:
        survivor = db.session.get(Ticket, ticket.merged_into_id)
        raise Conflict(_("Ticket #%(n)d was merged into #%(m)d; continue there.",
                         n=ticket.number, m=survivor.number if survivor else 0))


def lock(ticket: Ticket) -> None:
    """Lock the ticket's row for the rest of the transaction and reload it, so two replies
    to one ticket queue and the second sees the first (SQLite: a no-op lock)."""
    db.session.execute(select(Ticket.id).where(Ticket.id == ticket.id).with_for_update())
    db.session.refresh(ticket)


def _excerpt(text: str, n: int = 200) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def changes_since(ticket: Ticket, *, seen_version: int | None = None,
                  seen_at: datetime | None = None, actor=None) -> dict | None:
    """What others did to ``ticket`` after the agent's view of it (None: nothing)."""
    stmt = select(Message).where(Message.ticket_id == ticket.id, Message.internal.is_(False))
    if seen_version is not None:
        if ticket.version == seen_version:
            return None
        stmt = stmt.where(Message.ticket_version > seen_version)
    elif seen_at is not None:
        stmt = stmt.where(Message.created_at > seen_at)
    else:
        return None
    own_id = actor.id if isinstance(actor, Staff) else None
    messages = [m for m in db.session.scalars(stmt.order_by(Message.id))
                if not (m.author_kind == "staff" and m.staff_id == own_id)]
    events = db.session.scalars(select(Event).where(
        Event.object_type == "ticket", Event.object_id == str(ticket.id),
        Event.action == "ticket.status_changed").order_by(Event.id)).all()
    status_changes = [
        {"before": e.data.get("before"), "after": e.data.get("after"), "by": e.actor_name,
         "at": e.at.isoformat()}
        for e in events
        if (e.data.get("version", 0) > seen_version if seen_version is not None
            else e.at > seen_at) and not (e.actor_type == "staff" and e.actor_id == own_id)]
    if not messages and not status_changes:
        return None
    return {
        "version": ticket.version, "status": ticket.status,
        "messages": [{"id": m.id, "author": {"kind": m.author_kind, "name": m.author_name},
                      "excerpt": _excerpt(m.body_text), "created_at": m.created_at.isoformat()}
                     for m in messages],
        "status_changes": status_changes,
    }


def _body(body: str, body_format: str) -> tuple[str, str]:
    check_choice("body_format", body_format, BODY_FORMATS)
    body_html, body_text = prepare_body(body, body_format=body_format)
    if not body_text.strip() and "<img" not in body_html:
        raise ValidationFailed(fields={"body": _("Write a message.")})
    return body_html, body_text


def _files(files, attachment_ids, actor):
    checked = files_service.check_files(list(files or []))
    uploads = files_service.pending_uploads(list(attachment_ids or []), actor=actor)
    return checked, uploads


def _attach(ticket, message, actor, checked, uploads) -> int:
    stored = files_service.store_files(checked, actor=actor, ticket=ticket, message=message)
    files_service.claim_uploads(uploads, ticket=ticket, message=message)
    return len(stored) + len(uploads)


def add_reply(*, actor: Staff, ticket: Ticket, body: str, internal: bool = False,
              seen_version: int | None = None, seen_at: datetime | None = None,
              force: bool = False, status: str | None = None, attachments: list | None = None,
              attachment_ids: list[int] | None = None, body_format: str = TEXT) -> Message:
    """A staff member's public reply (``internal=False``) or private note (``internal=True``).

    Needs the 'reply' right. A public reply with ``seen_version``/``seen_at`` raises
    ``Collision`` if someone replied or changed the status since, unless ``force``. The
    first public reply sets ``first_response_at``; a reply to a new ticket opens it unless
    ``status`` says otherwise. Attachments are checked before anything is written.
    ``body_format``: ``text`` (typed) or ``html`` (the HTML editor); see ``sanitize``."""
    require(actor, ticket, "reply")
    ensure_workable(ticket)
    body_html, body_text = _body(body, body_format)
    checked, uploads = _files(attachments, attachment_ids, actor)
    lock(ticket)
    if not internal and not force:
        changes = changes_since(ticket, seen_version=seen_version, seen_at=seen_at, actor=actor)
        if changes:
            raise Collision(changes=changes)
    now = utcnow()
    if not internal:
        ticket.version += 1
    message = Message(ticket_id=ticket.id, author_kind="staff", staff_id=actor.id,
                      author_name=actor.name, body_html=body_html, body_text=body_text,
                      internal=internal, ticket_version=ticket.version, created_at=now)
    db.session.add(message)
    ticket.updated_at = now
    db.session.flush()
    count = _attach(ticket, message, actor, checked, uploads)
    search.reindex(ticket)
    record_event(actor, "ticket.noted" if internal else "ticket.replied", ticket,
                 {"number": ticket.number, "message_id": message.id, "attachments": count})
    first = not internal and ticket.first_response_at is None
    if first:
        ticket.first_response_at = now
    if status is None and not internal and ticket.status == "new":
        status = "open"
    if status is not None:
        set_status(actor=actor, ticket=ticket, status=status)
    if first:
        signals.changed(ticket, "first_response")
    if not internal:
        signals.replied(ticket, message, actor)
    return message


def add_customer_message(*, ticket: Ticket, customer, body: str,
                         attachments: list | None = None, body_format: str = TEXT) -> Message:
    """The requester writes again (portal: ``text``, mail: ``html`` or ``text``). A finished
    or waiting ticket reopens."""
    body_html, body_text = _body(body, body_format)
    checked, uploads = _files(attachments, None, None)
    lock(ticket)
    ticket.version += 1
    now = utcnow()
    message = Message(ticket_id=ticket.id, author_kind="customer", customer_id=customer.id,
                      author_name=customer.display_name, body_html=body_html,
                      body_text=body_text, internal=False, ticket_version=ticket.version,
                      created_at=now)
    db.session.add(message)
    ticket.updated_at = now
    db.session.flush()
    count = _attach(ticket, message, None, checked, uploads)
    search.reindex(ticket)
    actor = {"type": "customer", "id": customer.id, "name": customer.display_name}
    record_event(actor, "ticket.customer_replied", ticket,
                 {"number": ticket.number, "message_id": message.id, "attachments": count})
    if ticket.status in ("resolved", "closed", "pending"):
        set_status(actor=actor, ticket=ticket, status="open")
    return message


def add_system_note(ticket: Ticket, text: str, *, actor=None) -> Message:
    """An internal line in the conversation (transfers, escalations, merges), by whoever
    did it, or by the system. ``text`` is plain (a typed comment may be part of it)."""
    body_html, body_text = prepare_body(text, body_format=TEXT)
    is_staff = isinstance(actor, Staff)
    message = Message(ticket_id=ticket.id, author_kind="staff" if is_staff else "system",
                      staff_id=actor.id if is_staff else None,
                      author_name=actor.name if is_staff else "",
                      body_html=body_html, body_text=body_text, internal=True,
                      ticket_version=ticket.version, created_at=utcnow())
    db.session.add(message)
    db.session.flush()
    return message


def messages_of(ticket: Ticket, *, include_internal: bool = True) -> list[Message]:
    stmt = select(Message).where(Message.ticket_id == ticket.id).order_by(Message.id)
    if not include_internal:
        stmt = stmt.where(Message.internal.is_(False))
    return db.session.scalars(stmt).all()
