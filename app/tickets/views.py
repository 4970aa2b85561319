"""Ticket desk pages: the inbox and the "new ticket" form.

The ticket page and its controls are in ``views_ticket`` and ``views_actions``; importing
them here registers their routes on the same blueprint.
"""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.attachments.service import NewFile
from app.errors import ServiceError
from app.extensions import db
from app.tickets import service
from app.tickets import views_actions as _actions  # noqa: F401  (registers routes)
from app.tickets import views_ticket as _ticket  # noqa: F401  (registers routes)
from app.tickets.display import due_state, names_by_id, people
from app.tickets.fields import list_fields
from app.tickets.sanitize import TEXT
from app.tickets.views_base import bp, custom_field_values, tags_from
from app.tickets.views_inbox import (
    DEFAULT_VIEW,
    FILTERS,
    VIEWS,
    VIEWS_BY_KEY,
    chosen_filters,
    inbox_page,
)
from app.ui import int_or_none, staff_page

__all__ = ["bp"]


@bp.get("/")
@staff_page()
def inbox():
    view = VIEWS_BY_KEY.get(request.args.get("view", "")) or DEFAULT_VIEW
    filters = chosen_filters(request.args)
    q = request.args.get("q", "").strip()
    result = inbox_page(current_user, view=view, filters=filters, q=q,
                        cursor=int_or_none(request.args.get("cursor")))
    lookups = people()
    context = dict(
        view=view, views=VIEWS, tickets=result.items, next_cursor=result.next_cursor,
        q=q, args=request.args, filters=filters, filter_names=FILTERS, due_state=due_state,
        department_names=names_by_id(lookups["departments"]),
        staff_names=names_by_id(lookups["staff"]), **lookups)
    if request.headers.get("HX-Request") == "true" and request.headers.get("HX-Target") \
            == "ticket-rows":
        return render_template("tickets/_rows.html", **context)
    return render_template("tickets/inbox.html", **context)


def _files() -> list[NewFile]:
    return [NewFile(filename=f.filename, data=f.read())
            for f in request.files.getlist("files") if f and f.filename]


def _missing(form) -> dict:
    """Every empty required field at once (the service stops at the first problem)."""
    return {name: message for name, message in (
        ("requester_email", _("Enter the requester's e-mail address.")),
        ("subject", _("Enter a subject."))) if not form.get(name, "").strip()}


def _create(form, definitions):
    """Create the ticket from the form; returns the ticket, or raises ServiceError."""
    return service.create_ticket(
        actor=current_user, channel="staff", subject=form.get("subject", ""),
        body=form.get("body", ""), body_format=TEXT,
        requester_email=form.get("requester_email", ""),
        requester_name=form.get("requester_name") or None,
        department_id=int_or_none(form.get("department_id")),
        type=form.get("type") or None, priority=form.get("priority") or None,
        assignee_id=int_or_none(form.get("assignee_id")),
        tags=tags_from(form.get("tags")), attachments=_files(),
        custom_fields=custom_field_values(form, definitions))


@bp.route("/new", methods=["GET", "POST"])
@staff_page()
def new():
    form, errors, status = request.form, {}, 200
    definitions = list_fields(active_only=True)
    if request.method == "POST":
        errors, status = _missing(form), 422
        if not errors:
            try:
                ticket = _create(form, definitions)
            except ServiceError as exc:
                db.session.rollback()
                errors = {key.replace("requester.", "requester_"): str(message)
                          for key, message in exc.fields.items()}
                if not errors:
                    flash(str(exc.message), "error")
                status = exc.status
            else:
                flash(_("Ticket #%(n)d created.", n=ticket.number), "success")
                return redirect(url_for("tickets.show", number=ticket.number))
    values = custom_field_values(form, definitions) if request.method == "POST" else {}
    return render_template("tickets/new.html", form=form, errors=errors,
                           custom_fields=definitions, values=values, **people()), status
