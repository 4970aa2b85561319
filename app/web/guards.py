"""Decorators and helpers shared by the staff pages."""
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


def back(default: str):
    """Redirect to where the form came from (same site only)."""
    target = request.form.get("next") or default
    return redirect(target if target.startswith("/") and not target.startswith("//") else default)
