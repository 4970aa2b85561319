"""The ticket desk's blueprint and what its pages share: labels, lookups, form parsing.

The routes live in ``views`` (inbox, new ticket), ``views_ticket`` (the ticket page and the
composer) and ``views_actions`` (the controls); all of them register on this blueprint.
"""
from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.errors import ServiceError
from app.extensions import db
from app.tickets.access import department_rights
from app.tickets.constants import (
    CHANNEL_LABELS,
    PRIORITY_LABELS,
    REPLY_STATUSES,
    STATUS_LABELS,
    TYPE_LABELS,
)

bp = Blueprint("tickets", __name__, url_prefix="/app/tickets")


@bp.app_context_processor
def _labels() -> dict:
    return {"STATUS_LABELS": STATUS_LABELS, "PRIORITY_LABELS": PRIORITY_LABELS,
            "TYPE_LABELS": TYPE_LABELS, "CHANNEL_LABELS": CHANNEL_LABELS,
            "REPLY_STATUSES": REPLY_STATUSES}


def ticket_url(number: int, **anchor) -> str:
    return url_for("tickets.show", number=number, **anchor)


def back_to_ticket(number: int):
    return redirect(ticket_url(number))


def fail(exc: ServiceError, number: int | None = None):
    """Show a service error as a flash and go back (404s stay 404s)."""
    db.session.rollback()
    if exc.status == 404:
        raise exc
    messages = [str(m) for m in exc.fields.values()] or [str(exc.message)]
    for message in messages:
        flash(message, "error")
    target = ticket_url(number) if number is not None else url_for("tickets.inbox")
    return redirect(target)


def done(message: str, number: int):
    flash(message, "success")
    return back_to_ticket(number)


def wants_fragment() -> bool:
    """An htmx request gets a fragment instead of a redirect."""
    return request.headers.get("HX-Request") == "true"


def my_department_ids() -> list[int]:
    return list(department_rights(current_user))


def tags_from(raw: str | None) -> list[str]:
    return [t.strip() for t in (raw or "").replace(";", ",").split(",") if t.strip()]


def message_for_missing(missing: list[str]) -> str:
    return _("These placeholders have no value here and were left empty: %(names)s",
             names=", ".join("{{" + name + "}}" for name in missing))


def custom_field_values(form, definitions) -> dict:
    """The custom fields posted as ``cf-<key>`` (an unticked checkbox is False)."""
    values = {}
    for field in definitions:
        raw = form.get(f"cf-{field.key}")
        if field.kind == "checkbox":
            values[field.key] = raw == "1"
        else:
            values[field.key] = raw if raw is not None else ""
    return values
