"""Reading the console's forms, and saving with a message either way."""
from contextlib import contextmanager

from flask import flash, request
from flask_babel import gettext as _

from app.errors import ServiceError
from app.extensions import db
from app.money import MoneyError, parse_amount


def int_field(name: str) -> int | None:
    raw = (request.form.get(name) or "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise ServiceError(_("%(field)s must be a whole number.", field=name)) from None


def money_field(name: str) -> int | None:
    raw = (request.form.get(name) or "").strip()
    if not raw:
        return None
    try:
        return parse_amount(raw)
    except MoneyError:
        raise ServiceError(_("%(field)s must be an amount such as 5.00.", field=name)) from None


def error_text(exc: ServiceError) -> str:
    details = "; ".join(f"{k}: {v}" for k, v in exc.fields.items())
    return f"{exc.message} {details}".strip()


@contextmanager
def saving(message: str):
    """Say ``message`` when the block succeeds (the request then commits), or roll back and
    show the error (the block's ServiceError is handled)."""
    try:
        yield
        flash(message, "success")
    except ServiceError as exc:
        db.session.rollback()
        flash(error_text(exc), "error")
