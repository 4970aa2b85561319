"""Pages: SLA settings — business hours and time zone, holidays, targets per priority."""
from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.errors import ServiceError, ValidationFailed
from app.extensions import db
from app.sla import settings
from app.sla.notify import settings_changed
from app.tickets.choices import PRIORITY_LABELS
from app.ui import staff_page
from tenants.zones import timezone_names

bp = Blueprint("sla", __name__, url_prefix="/app/sla")
WEEKDAYS = [_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"),
            _l("Saturday"), _l("Sunday")]


def _page(errors: dict | None = None, status: int = 200):
    calendar = settings.view_calendar(actor=current_user)
    return render_template(
        "sla/index.html", calendar=calendar, weekdays=WEEKDAYS,
        timezones=timezone_names(), holidays=settings.view_holidays(actor=current_user),
        policies={p.priority: p for p in settings.view_policies(actor=current_user)},
        can_change=settings.can_change_settings(current_user),
        priorities=PRIORITY_LABELS, errors=errors or {},
        form=request.form if request.method == "POST" else None), status


def _saved(message: str):
    settings_changed()
    flash(message, "success")
    return redirect(url_for(".index"))


def _failed(exc: ServiceError):
    db.session.rollback()
    flash(str(exc.message), "error")
    return _page(exc.fields, 422)


@bp.get("/")
@staff_page(*settings.READERS)
def index():
    return _page()


@bp.post("/hours")
@staff_page(*settings.EDITORS)
def hours():
    form = request.form
    week = {}
    for day in range(7):
        if form.get(f"open-{day}"):
            week[str(day)] = [[form.get(f"from-{day}", ""), form.get(f"to-{day}", "")]]
        else:
            week[str(day)] = []
    try:
        settings.save_calendar(actor=current_user, timezone=form.get("timezone", ""),
                               hours=week)
    except ServiceError as exc:
        return _failed(exc)
    return _saved(_("Business hours saved."))


@bp.post("/holidays")
@staff_page(*settings.EDITORS)
def add_holiday():
    try:
        try:
            day = date.fromisoformat(request.form.get("day", ""))
        except ValueError:
            raise ValidationFailed(fields={"day": _("Enter a date.")}) from None
        settings.add_holiday(actor=current_user, day=day, name=request.form.get("name", ""))
    except ServiceError as exc:
        return _failed(exc)
    return _saved(_("Holiday added."))


@bp.post("/holidays/<int:holiday_id>/delete")
@staff_page(*settings.EDITORS)
def delete_holiday(holiday_id: int):
    settings.delete_holiday(actor=current_user, holiday_id=holiday_id)
    return _saved(_("Holiday removed."))


@bp.post("/policies")
@staff_page(*settings.EDITORS)
def policies():
    targets = []
    try:
        for priority in PRIORITY_LABELS:
            first = request.form.get(f"first-{priority}", "").strip()
            resolution = request.form.get(f"resolution-{priority}", "").strip()
            if not first and not resolution:
                continue  # no SLA for this priority
            try:
                targets.append({"priority": priority,
                                "first_response_minutes": round(float(first) * 60),
                                "resolution_minutes": round(float(resolution) * 60)})
            except ValueError:
                raise ValidationFailed(fields={f"policies.{priority}": _(
                    "Enter both targets in hours, e.g. 4 or 0.5.")}) from None
        settings.save_policies(actor=current_user, targets=targets)
    except ServiceError as exc:
        # The service names rows by position; the page shows them by priority.
        exc.fields = {(f"policies.{targets[int(key.split('.')[1])]['priority']}"
                       if key.count(".") == 2 else key): value
                      for key, value in exc.fields.items()}
        return _failed(exc)
    return _saved(_("SLA targets saved."))
