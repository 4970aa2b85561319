"""What every area's pages share: the staff-page guard and the form helpers.

It sits below the areas (and billing), so any page may use it; the pages at the top
(``app.web``, ``app.onboarding``) import it like every area does."""
from functools import wraps

from flask import abort, flash, redirect, request
from flask_login import current_user, login_required

from app.errors import ServiceError
from app.extensions import db


def staff_page(*roles: str):
    """A logged-in staff page; with ``roles``, only those roles (others get 403)."""

    def decorate(fn):
        @wraps(fn)
        @login_required
        def view(*args, **kwargs):
            if roles and current_user.role not in roles:
                abort(403)
            return fn(*args, **kwargs)

        return view

    return decorate


def apply_form_errors(form, exc: ServiceError) -> None:
    """Show a service error on the form: per field where it names one, else as a flash."""
    db.session.rollback()
    shown = False
    for name, message in exc.fields.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = list(field.errors) + [str(message)]
            shown = True
    if not shown or not exc.fields:
        flash(str(exc.message), "error")


def flash_outcome(action, done: str) -> None:
    """Run ``action`` (a service call behind a button) and flash ``done``, or the reason the
    service refused (the change rolled back). A 403 or 404 is not a message but an answer:
    it propagates, so a page of another tenant or above one's role looks as it always does."""
    try:
        action()
    except ServiceError as exc:
        db.session.rollback()
        if exc.status in (403, 404):
            raise
        flash(str(exc.message), "error")
    else:
        flash(done, "success")


def back(default: str):
    """Redirect to where the form came from (same site only)."""
    target = request.form.get("next") or default
    return redirect(target if target.startswith("/") and not target.startswith("//") else default)


def int_or_none(raw) -> int | None:
    """A form or query value as an id; empty means "none", garbage means "none" too
    (the select offered only real ids, so garbage is a crafted request)."""
    try:
        return int(raw) if raw not in (None, "") else None
    except (TypeError, ValueError):
        return None
