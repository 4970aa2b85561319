"""Working a ticket: status, priority, type, tags, custom fields, assignment, transfer to
another department or person, escalation to the next line. Every change is an event with
before and after; the ones SLA cares about send ``ticket_changed``."""
from flask_babel import gettext as _

from app.db_types import utcnow
from app.errors import Conflict, ValidationFailed
from app.events.service import record_event
from app.extensions import db
from app.tickets import fields, search, signals
from app.tickets.access import require
from app.tickets.constants import ESCALATION_LEVELS, PRIORITIES, TYPES
from app.tickets.conversation import add_system_note, ensure_workable
from app.tickets.models import Ticket
from app.tickets.status import set_status
from app.tickets.validation import (
    assignee_or_error,
    check_choice,
    clean_subject,
    clean_tags,
    department_or_404,
)

EDITABLE = ("subject", "status", "priority", "type", "department_id", "assignee_id", "tags",
            "custom_fields")


def _changed(actor, ticket: Ticket, action: str, before, after, **extra) -> None:
    ticket.updated_at = utcnow()
    db.session.flush()
    record_event(actor, action, ticket,
                 {"number": ticket.number, "before": before, "after": after} | extra)


def change_status(*, actor, ticket: Ticket, status: str) -> Ticket:
    """Set the status (reply right): resolved/closed stamp their times, reopening clears them."""
    require(actor, ticket, "reply")
    ensure_workable(ticket)
    set_status(actor=actor, ticket=ticket, status=status)
    return ticket


def change_priority(*, actor, ticket: Ticket, priority: str) -> Ticket:
    require(actor, ticket, "reply")
    check_choice("priority", priority, PRIORITIES)
    if priority != ticket.priority:
        before, ticket.priority = ticket.priority, priority
        _changed(actor, ticket, "ticket.priority_changed", before, priority)
        signals.changed(ticket, "priority")
    return ticket


def change_type(*, actor, ticket: Ticket, type: str | None) -> Ticket:
    require(actor, ticket, "reply")
    check_choice("type", type, TYPES, optional=True)
    if type != ticket.type:
        before, ticket.type = ticket.type, type
        _changed(actor, ticket, "ticket.type_changed", before, type)
    return ticket


def change_subject(*, actor, ticket: Ticket, subject: str) -> Ticket:
    require(actor, ticket, "reply")
    subject = clean_subject(subject)
    if subject != ticket.subject:
        before, ticket.subject = ticket.subject, subject
        _changed(actor, ticket, "ticket.subject_changed", before, subject)
        search.reindex(ticket)
    return ticket


def set_tags(*, actor, ticket: Ticket, tags: list[str]) -> Ticket:
    require(actor, ticket, "reply")
    tags = clean_tags(tags)
    if tags != list(ticket.tags or []):
        before, ticket.tags = list(ticket.tags or []), tags
        _changed(actor, ticket, "ticket.tags_changed", before, tags)
    return ticket


def set_custom_fields(*, actor, ticket: Ticket, values: dict) -> Ticket:
    """Merge ``values`` into the ticket's custom fields (None or "" clears one)."""
    require(actor, ticket, "reply")
    before = dict(ticket.custom_fields or {})
    after = fields.clean_values(values, current=before)
    if after != before:
        ticket.custom_fields = after
        _changed(actor, ticket, "ticket.fields_changed", before, after)
    return ticket


def assign(*, actor, ticket: Ticket, assignee_id: int | None,
           comment: str | None = None) -> Ticket:
    """Give the ticket to a staff member with reply rights in its department (None: nobody)."""
    require(actor, ticket, "reply")
    ensure_workable(ticket)
    assignee = assignee_or_error(assignee_id, ticket.department_id)
    if assignee_id == ticket.assignee_id:
        return ticket
    before, ticket.assignee_id = ticket.assignee_id, assignee_id
    if comment and comment.strip():
        add_system_note(ticket, comment, actor=actor)
    _changed(actor, ticket, "ticket.assigned", before, assignee_id,
             assignee_name=assignee.name if assignee else None, comment=comment or "")
    if assignee_id is not None:
        signals.assigned(ticket, assignee_id, actor)
    return ticket


def transfer(*, actor, ticket: Ticket, department_id: int | None = None,
             assignee_id: int | None = None, comment: str = "") -> Ticket:
    """Hand the ticket to another department and/or person, with a comment kept as an
    internal note. Moving department drops an assignee who has no right there."""
    require(actor, ticket, "reply")
    ensure_workable(ticket)
    if department_id is None and assignee_id is None:
        raise ValidationFailed(fields={"department_id": _("Choose a department or a person.")})
    before = {"department_id": ticket.department_id, "assignee_id": ticket.assignee_id}
    target_department = ticket.department_id
    department = department_or_404(department_id) if department_id is not None else None
    if department is not None:
        target_department = department.id
    new_assignee = ticket.assignee_id if assignee_id is None else assignee_id
    if assignee_id is not None:
        assignee_or_error(assignee_id, target_department)
    elif new_assignee is not None:
        try:
            assignee_or_error(new_assignee, target_department)
        except ValidationFailed:
            new_assignee = None
    after = {"department_id": target_department, "assignee_id": new_assignee}
    if after == before:
        raise Conflict(_("The ticket is already there."))
    ticket.department_id, ticket.assignee_id = target_department, new_assignee
    comment = (comment or "").strip()
    add_system_note(ticket, _("Transferred: %(comment)s", comment=comment) if comment
                    else _("Transferred."), actor=actor)
    _changed(actor, ticket, "ticket.transferred", before, after, comment=comment)
    if before["department_id"] != after["department_id"]:
        signals.changed(ticket, "department")
    if new_assignee is not None and new_assignee != before["assignee_id"]:
        signals.assigned(ticket, new_assignee, actor)
    return ticket


def escalate(*, actor, ticket: Ticket, comment: str = "", department_id: int | None = None,
             assignee_id: int | None = None) -> Ticket:
    """Raise the ticket to the next support line (1 → 2 → 3), optionally moving it to the
    specialists' department or person; recorded as a note and an event."""
    require(actor, ticket, "reply")
    ensure_workable(ticket)
    if ticket.escalation_level >= ESCALATION_LEVELS[-1]:
        raise Conflict(_("The ticket is already at the last support line."))
    before = ticket.escalation_level
    if department_id is not None or assignee_id is not None:
        transfer(actor=actor, ticket=ticket, department_id=department_id,
                 assignee_id=assignee_id, comment=comment)
    ticket.escalation_level = before + 1
    text = _("Escalated to line %(n)d.", n=ticket.escalation_level)
    add_system_note(ticket, f"{text} {comment.strip()}" if comment else text, actor=actor)
    _changed(actor, ticket, "ticket.escalated", before, ticket.escalation_level,
             comment=comment or "")
    signals.changed(ticket, "escalated")
    return ticket


def update_ticket(*, actor, ticket: Ticket, changes: dict) -> Ticket:
    """Apply a partial update (the API's PATCH): only the keys present change, each through
    its own function, so each gets its checks and its event."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationFailed(fields={k: _("Not an editable field.") for k in unknown})
    require(actor, ticket, "reply")
    ensure_workable(ticket)
    if "subject" in changes:
        change_subject(actor=actor, ticket=ticket, subject=changes["subject"])
    if "department_id" in changes and changes["department_id"] != ticket.department_id:
        if changes["department_id"] is None:
            raise ValidationFailed(fields={"department_id": _("Choose a department.")})
        transfer(actor=actor, ticket=ticket, department_id=changes["department_id"],
                 assignee_id=changes.get("assignee_id"))
    elif "assignee_id" in changes:
        assign(actor=actor, ticket=ticket, assignee_id=changes["assignee_id"])
    if "priority" in changes:
        change_priority(actor=actor, ticket=ticket, priority=changes["priority"])
    if "type" in changes:
        change_type(actor=actor, ticket=ticket, type=changes["type"])
    if "tags" in changes:
        set_tags(actor=actor, ticket=ticket, tags=changes["tags"] or [])
    if "custom_fields" in changes:
        set_custom_fields(actor=actor, ticket=ticket, values=changes["custom_fields"] or {})
    if "status" in changes:
        change_status(actor=actor, ticket=ticket, status=changes["status"])
    return ticket

