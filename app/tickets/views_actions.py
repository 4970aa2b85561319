"""The ticket page's controls: each form posts here, calls one service function, and goes
back to the ticket (status, priority and type answer htmx with a fragment instead)."""
from flask import render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.errors import ServiceError, ValidationFailed
from app.extensions import db
from app.tickets import service
from app.tickets.fields import list_fields
from app.tickets.views_base import (
    bp,
    custom_field_values,
    done,
    fail,
    tags_from,
    wants_fragment,
)
from app.ui import int_or_none, staff_page

# field → (service function, its keyword argument)
QUICK = {
    "status": (service.change_status, "status"),
    "priority": (service.change_priority, "priority"),
    "type": (service.change_type, "type"),
}


def _ticket(number: int, need: str = "view"):
    return service.get_ticket(current_user, number, need)


@bp.post("/<int:number>/set/<field>")
@staff_page()
def quick_change(number: int, field: str):
    """Status, priority or type from the sidebar; live (htmx) or as a plain form."""
    if field not in QUICK:
        raise ValidationFailed(fields={"field": _("Not a field that can be set here.")})
    function, keyword = QUICK[field]
    ticket = _ticket(number)
    value = request.form.get(field) or None
    try:
        function(actor=current_user, ticket=ticket, **{keyword: value})
    except ServiceError as exc:
        if not wants_fragment():
            return fail(exc, number)
        db.session.rollback()
        ticket = _ticket(number)
        return render_template("tickets/_quick.html", ticket=ticket, field=field,
                               error=str(exc.fields.get(field, exc.message))), 200
    if wants_fragment():
        return render_template("tickets/_quick.html", ticket=ticket, field=field, saved=True)
    return done(_("Saved."), number)


@bp.post("/<int:number>/assign")
@staff_page()
def assign(number: int):
    ticket = _ticket(number)
    assignee = request.form.get("assignee_id")
    if assignee == "me":
        assignee = current_user.id
    try:
        service.assign(actor=current_user, ticket=ticket, assignee_id=int_or_none(assignee),
                       comment=request.form.get("comment") or None)
    except ServiceError as exc:
        return fail(exc, number)
    return done(_("Assignment saved."), number)


@bp.post("/<int:number>/transfer")
@staff_page()
def transfer(number: int):
    ticket = _ticket(number)
    try:
        service.transfer(actor=current_user, ticket=ticket,
                         department_id=int_or_none(request.form.get("department_id")),
                         assignee_id=int_or_none(request.form.get("assignee_id")),
                         comment=request.form.get("comment", ""))
    except ServiceError as exc:
        return fail(exc, number)
    return done(_("Ticket transferred."), number)


@bp.post("/<int:number>/escalate")
@staff_page()
def escalate(number: int):
    ticket = _ticket(number)
    try:
        service.escalate(actor=current_user, ticket=ticket,
                         comment=request.form.get("comment", ""),
                         department_id=int_or_none(request.form.get("department_id")),
                         assignee_id=int_or_none(request.form.get("assignee_id")))
    except ServiceError as exc:
        return fail(exc, number)
    return done(_("Escalated to line %(n)d.", n=ticket.escalation_level), number)


@bp.post("/<int:number>/tags")
@staff_page()
def tags(number: int):
    ticket = _ticket(number)
    try:
        service.set_tags(actor=current_user, ticket=ticket,
                         tags=tags_from(request.form.get("tags")))
    except ServiceError as exc:
        return fail(exc, number)
    return done(_("Tags saved."), number)


@bp.post("/<int:number>/fields")
@staff_page()
def custom_fields(number: int):
    ticket = _ticket(number)
    try:
        service.set_custom_fields(actor=current_user, ticket=ticket, values=custom_field_values(
            request.form, list_fields(active_only=True)))
    except ServiceError as exc:
        return fail(exc, number)
    return done(_("Fields saved."), number)


def _other(raw) -> object:
    number = int_or_none((raw or "").strip().lstrip("#"))
    if number is None:
        raise ValidationFailed(fields={"number": _("Enter a ticket number.")})
    return service.get_ticket(current_user, number)


@bp.post("/<int:number>/merge")
@staff_page()
def merge(number: int):
    ticket = _ticket(number)
    try:
        target = _other(request.form.get("into"))
        survivor = service.merge(actor=current_user, source=ticket, target=target)
    except ServiceError as exc:
        if exc.status == 404:  # the number typed, not this page, is unknown
            return fail(ValidationFailed(fields={"into": str(exc.message)}), number)
        return fail(exc, number)
    return done(_("Ticket #%(a)d merged into #%(b)d.", a=ticket.number, b=survivor.number),
                survivor.number)


@bp.post("/<int:number>/links")
@staff_page()
def link(number: int):
    ticket = _ticket(number)
    try:
        service.link(actor=current_user, ticket=ticket, other=_other(request.form.get("other")))
    except ServiceError as exc:
        if exc.status == 404:
            return fail(ValidationFailed(fields={"other": str(exc.message)}), number)
        return fail(exc, number)
    return done(_("Tickets linked."), number)


@bp.post("/<int:number>/links/<int:other_number>/delete")
@staff_page()
def unlink(number: int, other_number: int):
    ticket = _ticket(number)
    other = service.get_ticket(current_user, other_number)
    try:
        service.unlink(actor=current_user, ticket=ticket, other=other)
    except ServiceError as exc:
        return fail(exc, number)
    return done(_("Link removed."), number)


HOUSEKEEPING = {
    "trash": (service.trash, _l("Moved to the trash.")),
    "restore": (service.restore, _l("Restored from the trash.")),
    "archive": (service.archive, _l("Moved to the archive.")),
    "unarchive": (service.unarchive, _l("Taken out of the archive.")),
}


@bp.post("/<int:number>/<any(trash, restore, archive, unarchive):action>")
@staff_page()
def housekeeping(number: int, action: str):
    function, message = HOUSEKEEPING[action]
    ticket = _ticket(number)
    try:
        function(actor=current_user, ticket=ticket)
    except ServiceError as exc:
        return fail(exc, number)
    return done(str(message), number)
