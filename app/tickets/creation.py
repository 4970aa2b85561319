"""create_ticket: the one way a ticket is born, whatever the channel (UI, API, widget, mail).

So routing, the daily quota, SLA, events and notifications apply everywhere alike.

Creation has two halves. **Registering** is what the requester waits for: the requester,
routing and the stop lists, the quota, SLA, the number, the ticket, its first message and
files — after it the ticket is in the agents' inbox. **Completing** is the rest: the
search document, the events and ``ticket_created`` (letters, the spam note). Staff, API and
mail complete at once (``register_ticket``); a channel that must answer fast (the website
widget) passes ``complete_later``: the completion waits in ``ticket_completions``, written
with the ticket, and ``app.tickets.completion`` completes it in a job right after the
commit (or in the periodic sweep, if that job's worker died) — once, whoever runs it.
"""
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.orm.attributes import set_committed_value

from app.attachments import service as files_service
from app.customers.registration import Requesters, find_or_register, record_registered
from app.db_types import utcnow
from app.errors import NotFound, ValidationFailed
from app.extensions import db
from app.staff.models import Staff
from app.tickets import fields, signals
from app.tickets.access import level_in
from app.tickets.completion import announce, request_completion
from app.tickets.constants import CHANNELS, PRIORITIES, STATUSES, TYPES
from app.tickets.models import Message, Ticket, TicketCompletion
from app.tickets.sanitize import BODY_FORMATS, TEXT, prepare_body
from app.tickets.validation import (
    assignee_or_error,
    check_choice,
    clean_subject,
    clean_tags,
    department_or_404,
)
from app.tickets.writing import Companion, write_new_ticket
from tenants import context

# Channels where a person fills in a form we control; mail can't be made to fill fields.
_FORM_CHANNELS = ("staff", "api", "widget", "portal")


def _requester(email: str, name: str | None, requesters: Requesters | None):
    taken = requesters.take(email, name) if requesters is not None else None
    if taken is not None:
        return taken
    try:
        return find_or_register(email=email, name=name)
    except ValidationFailed:
        raise ValidationFailed(fields={"requester.email": _(
            "Enter a valid e-mail address.")}) from None


@dataclass(frozen=True)
class Later:
    """``register_ticket(complete_later=Later(...))``: complete the ticket in a job after the
    commit. ``language``: the requester's, for the letters the completion sends;
    ``companions``: rows written with the ticket (e.g. the portal link in the answer)."""

    language: str | None = None
    companions: tuple[Companion, ...] = ()


@dataclass(frozen=True)
class NewTicket:
    """What ``register_ticket`` wrote: the ticket, its first message and that message's
    attachments (by id) — all a caller needs to answer without reading them back."""

    ticket: Ticket
    message: Message
    attachments: list


def create_ticket(**kwargs) -> Ticket:
    """``register_ticket`` for callers that need only the ticket."""
    return register_ticket(**kwargs).ticket


def register_ticket(*, actor, channel: str, subject: str, body: str, requester_email: str,
                  requester_name: str | None = None, department_id: int | None = None,
                  type: str | None = None, priority: str | None = None,
                  assignee_id: int | None = None, tags: list[str] | None = None,
                  custom_fields: dict | None = None, attachments: list | None = None,
                  attachment_ids: list[int] | None = None, status: str | None = None,
                  received_at: datetime | None = None, body_format: str = TEXT,
                  requester_verified: bool = False,
                  complete_later: Later | None = None, reserved: tuple[int, int] | None = None,
                  admitted: bool | None = None, companions: tuple = (),
                  required_fields: bool = True,
                  requesters: Requesters | None = None) -> NewTicket:
    """Register a request: the requester (created on first contact, matched to an
    organization by domain), routing, the daily quota (over it the ticket is kept but
    ``deferred``), a number from the tenant's counter, the first message, attachments,
    the search index, the event, and the ``ticket_changed`` (SLA) and ``ticket_created``
    signals.

    ``actor``: the Staff entering it (channels staff/api), or None for customer channels.
    ``attachments``: ``NewFile``s; ``attachment_ids``: uploads made beforehand by ``actor``.
    ``body_format``: ``text`` (typed, escaped and kept whole) or ``html`` (an HTML editor or
    an e-mail, sanitized); see ``app.tickets.sanitize``.
    ``requester_verified``: the requester's own site vouched for the address.
    ``complete_later``: register only; the search index, the events and ``ticket_created``
    follow in a job after the commit (customer channels only, ``actor`` None).
    ``reserved`` (ticket id, number) and ``admitted``: taken and decided beforehand, when
    the request was stored (the widget's lean intake: the same sequence, counter and daily
    quota);
    ``companions``: rows written with the ticket (e.g. its portal link);
    ``required_fields`` False: a request accepted earlier is kept even if a custom field
    became required since.
    ``requesters``: requesters found or registered beforehand, several at once (a batch
    of mail); an address not among them is registered here.
    Flushes, doesn't commit."""
    if complete_later is not None and actor is not None:
        raise ValueError("only a customer's request completes later")
    check_choice("channel", channel, CHANNELS)
    check_choice("type", type, TYPES, optional=True)
    check_choice("priority", priority, PRIORITIES, optional=True)
    check_choice("status", status, STATUSES, optional=True)
    check_choice("body_format", body_format, BODY_FORMATS)
    body_html, body_text = prepare_body(body, body_format=body_format)
    if channel in ("staff", "api"):
        subject = clean_subject(subject)
    else:  # a customer's message is registered even without a subject
        subject = clean_subject(subject, fallback=body_text or _("(no subject)"))
    tags = clean_tags(tags)
    if isinstance(actor, Staff) and department_id is not None:
        department_or_404(department_id)
        if level_in(actor, department_id) is None:
            raise NotFound(_("Department not found."))
    checked_files = files_service.check_files(list(attachments or []))
    uploads = files_service.pending_uploads(list(attachment_ids or []), actor=actor)
    customer, customer_made = _requester(requester_email, requester_name, requesters)

    draft = signals.TicketDraft(
        channel=channel, requester_email=customer.email, requester_name=customer.name,
        subject=subject, body_text=body_text, organization_id=customer.organization_id,
        custom_fields=dict(custom_fields or {}), department_id=department_id,
        priority=priority, type=type, assignee_id=assignee_id, tags=tags)
    signals.draft_ticket(draft)  # routing; before the checks below, see signals' docstring
    department_or_404(draft.department_id)
    assignee_or_error(draft.assignee_id, draft.department_id)
    values = fields.clean_values(draft.custom_fields,
                                 enforce_required=required_fields
                                 and channel in _FORM_CHANNELS)
    tenant_id = context.current_tenant_id()
    if admitted is None:
        admitted = draft.spam or signals.admitted(tenant_id)  # spam takes no place in the quota
    else:
        admitted = draft.spam or admitted

    now = utcnow()
    ticket = Ticket(
        tenant_id=tenant_id, subject=draft.subject, customer_id=customer.id,
        organization_id=draft.organization_id, department_id=draft.department_id,
        assignee_id=draft.assignee_id,
        type=check_choice("type", draft.type, TYPES, optional=True),
        priority=check_choice("priority", draft.priority or "normal", PRIORITIES),
        id=reserved[0] if reserved else None, number=reserved[1] if reserved else None,
        status=status or "new", channel=channel, tags=clean_tags(draft.tags),
        custom_fields=values, received_at=received_at or now, created_at=now, updated_at=now,
        deferred=not admitted, routing_rule_id=draft.routing_rule_id, escalation_level=1,
        version=1, sla_paused_seconds=0, sla_breached=False, spam=draft.spam,
        requester_verified=requester_verified)
    with db.session.no_autoflush:  # SLA sets the due times, written with the ticket
        signals.changed(ticket, "created")
    message = Message(tenant_id=tenant_id, author_kind="customer", customer_id=customer.id,
                      staff_id=actor.id if isinstance(actor, Staff) else None,
                      author_name=customer.display_name, body_html=body_html,
                      body_text=body_text, internal=False, ticket_version=1, created_at=now)
    companions = tuple(companions)
    if complete_later is not None:
        pending = Companion(TicketCompletion.__table__, {"registered_at": now, "data": {
            "language": complete_later.language, "customer_registered": customer_made,
            "attachments": len(checked_files) + len(uploads)}})
        companions = (*companions, *complete_later.companions, pending)
    write_new_ticket(ticket, message, companions=companions, index=complete_later is None)
    # The requester is at hand: spare readers of the new ticket a lookup.
    set_committed_value(ticket, "customer", customer)
    stored = files_service.store_files(checked_files, actor=actor, ticket=ticket, message=message)
    files_service.claim_uploads(uploads, ticket=ticket, message=message)
    if complete_later is None:
        if customer_made:
            record_registered(customer)
        announce(ticket, actor=actor, attachments=len(stored) + len(uploads))
    else:
        request_completion()
    return NewTicket(ticket, message, sorted(stored + list(uploads), key=lambda a: a.id))
