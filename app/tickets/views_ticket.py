"""The ticket page: conversation, composer (reply / note, templates, attachments) and the
collision warning that holds a reply which would cross a colleague's."""
from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from app.attachments.service import NewFile, attachments_of
from app.errors import ServiceError, ValidationFailed
from app.event_log.describe import describe_all
from app.events.models import Event
from app.extensions import db
from app.responses.context import ticket_values
from app.responses.service import render_template_for, search_templates
from app.tickets import service
from app.tickets.access import level_in
from app.tickets.display import due_state, names_by_id, people
from app.tickets.fields import list_fields
from app.tickets.models import Ticket
from app.tickets.sanitize import HTML, TEXT, body_to_html
from app.tickets.settings import get_settings
from app.tickets.views_base import bp, done, fail, message_for_missing
from app.ui import int_or_none, staff_page

HISTORY_LIMIT = 100


def _history(ticket: Ticket) -> list[Event]:
    return db.session.scalars(select(Event).where(
        Event.object_type == "ticket", Event.object_id == str(ticket.id))
        .order_by(Event.id.desc()).limit(HISTORY_LIMIT)).all()


def _others_of_customer(ticket: Ticket) -> list[Ticket]:
    result = service.list_tickets(current_user, customer_id=ticket.customer_id, deferred=None,
                                  archived=None, limit=11)
    return [t for t in result.items if t.id != ticket.id][:10]


def _editor_html(body: str, body_format: str | None) -> Markup:
    """The reply box's content after an error or a held reply: the posted body made safe
    exactly as it would be stored, so what was posted is never put back into the page raw."""
    return Markup(body_to_html(body, body_format=HTML if body_format == HTML else TEXT))


def render_ticket(ticket: Ticket, *, composer: dict | None = None, collision: dict | None = None,
                  status: int = 200):
    """The whole ticket page. ``composer`` refills the reply box (after an error or a held
    reply); ``collision`` is the service's description of what changed meanwhile."""
    messages = service.messages_of(ticket)
    lookups = people()
    history = _history(ticket)
    merged_into = db.session.get(Ticket, ticket.merged_into_id) if ticket.merged_into_id \
        else None
    composer = {"body": "", "internal": False, "seen_version": ticket.version, "errors": {},
                "set_status": ""} | (composer or {})
    composer["editor_html"] = _editor_html(composer["body"], composer.get("body_format"))
    return render_template(
        "tickets/ticket.html", ticket=ticket, messages=messages,
        files=attachments_of([m.id for m in messages]), history=history,
        history_sentences=describe_all(history),
        others=_others_of_customer(ticket), linked=service.linked_tickets(ticket),
        merged_into=merged_into, composer=composer, collision=collision,
        level=level_in(current_user, ticket.department_id), due=due_state(ticket),
        department_names=names_by_id(lookups["departments"]),
        staff_names=names_by_id(lookups["staff"]),
        custom_fields=list_fields(active_only=True),
        max_file_bytes=int(get_settings("attachments")["max_file_bytes"]), **lookups), status


@bp.get("/<int:number>")
@staff_page()
def show(number: int):
    return render_ticket(service.get_ticket(current_user, number))


def _uploads() -> list[NewFile]:
    return [NewFile(filename=f.filename, data=f.read())
            for f in request.files.getlist("files") if f and f.filename]


def _apply_template_actions(ticket: Ticket, form) -> None:
    """What a picked template sets besides its text (priority, assignee); status goes with
    the reply itself. A setting that no longer fits (say, the assignee lost the right) is
    shown on the composer, with the reply kept, rather than as an error page."""
    try:
        if form.get("template_priority"):
            service.change_priority(actor=current_user, ticket=ticket,
                                    priority=form["template_priority"])
        if form.get("template_assignee_id"):
            service.assign(actor=current_user, ticket=ticket,
                           assignee_id=int_or_none(form.get("template_assignee_id")))
    except ServiceError as exc:
        why = " ".join(str(m) for m in exc.fields.values()) or str(exc.message)
        message = _("The template's settings could not be applied: %(why)s", why=why)
        raise ValidationFailed(message, fields={"template": message}) from exc


def _composer_errors(exc: ServiceError) -> dict:
    """Errors placed where the composer shows them: the text, the files, or above it all."""
    errors = {"body": [], "files": [], "form": []}
    for key, message in exc.fields.items():
        errors["body" if key == "body" else "files" if key == "attachments" else "form"].append(
            str(message))
    if exc.status == 413 and not errors["files"]:
        errors["files"].append(str(exc.message))
    if not any(errors.values()):
        errors["form"].append(str(exc.message))
    return {key: " ".join(messages) for key, messages in errors.items() if messages}


@bp.post("/<int:number>/messages")
@staff_page()
def post_message(number: int):
    ticket = service.get_ticket(current_user, number)
    form = request.form
    internal = bool(form.get("internal"))
    status = form.get("set_status") or form.get("template_status") or None
    # The reply box is an HTML editor and says so in the form; anything else posted here
    # without saying so is taken as typed text.
    body_format = form.get("body_format") or TEXT
    composer = {"body": form.get("body", ""), "body_format": body_format, "internal": internal,
                "seen_version": int_or_none(form.get("seen_version")),
                "set_status": form.get("set_status", ""),
                "template": {k: form.get(k, "") for k in (
                    "template_status", "template_priority", "template_assignee_id",
                    "template_summary")}}
    try:
        service.add_reply(actor=current_user, ticket=ticket, body=composer["body"],
                          body_format=body_format, internal=internal,
                          seen_version=composer["seen_version"],
                          force=bool(form.get("force")), status=status,
                          attachments=_uploads())
        _apply_template_actions(ticket, form)
    except service.Collision as exc:
        db.session.rollback()
        ticket = service.get_ticket(current_user, number)
        composer["seen_version"] = exc.changes.get("version", ticket.version)
        return render_ticket(ticket, composer=composer, collision=exc.changes, status=409)
    except ServiceError as exc:
        if exc.status not in (413, 422):  # no right, trashed, merged: nothing to fix in the box
            return fail(exc, number)
        db.session.rollback()
        ticket = service.get_ticket(current_user, number)
        composer["errors"] = _composer_errors(exc)
        return render_ticket(ticket, composer=composer, status=exc.status)
    return done(_("Note added.") if internal else _("Reply sent."), number)


@bp.get("/<int:number>/templates")
@staff_page()
def template_search(number: int):
    ticket = service.get_ticket(current_user, number)
    found = search_templates(staff=current_user, q=request.args.get("q"),
                             department_id=ticket.department_id, limit=20)
    return render_template("tickets/_template_results.html", ticket=ticket, found=found)


@bp.get("/<int:number>/templates/<int:response_id>")
@staff_page()
def template_pick(number: int, response_id: int):
    ticket = service.get_ticket(current_user, number, "reply")
    rendered = render_template_for(staff=current_user, template_id=response_id,
                                   values=ticket_values(ticket, current_user))
    lookups = people()
    return render_template(
        "tickets/_template_pick.html", ticket=ticket, rendered=rendered,
        warning=message_for_missing(rendered["missing"]) if rendered["missing"] else "",
        staff_names=names_by_id(lookups["staff"]))
