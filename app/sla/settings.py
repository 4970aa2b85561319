"""SLA settings service: business hours, holidays and per-priority targets of a tenant.

Rights, for the page and the API alike:

* Reading them (the targets, the hours, the holidays, a due-time preview) — every staff
  member. Agents work against these due times every day; knowing the target and the
  hours it counts in is how they plan their queue.
* Changing them — admins and managers. The manager answers for meeting the targets and
  sets the team's hours and holidays; every change is in the event log they both read.

The unchecked readers below (``calendar_settings``, ``targets_for`` …) are for the SLA
clock itself, which runs for every ticket whoever changed it.
"""
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import delete, select

from app.errors import Conflict, NotFound, ValidationFailed
from app.events.service import record_event
from app.extensions import db
from app.settings_cache import cached, settings_changed
from app.sla.clock import Calendar, add_business_minutes, format_hhmm, parse_hhmm
from app.sla.models import BusinessCalendar, Holiday, SlaPolicy
from app.sla.tracking import Targets
from app.staff.roles import EVERYONE, MANAGERS, has_role, require_role
from app.tickets.constants import PRIORITIES
from app.tickets.validation import check_choice
from tenants.resolve import current_tenant
from tenants.zones import is_timezone

# Until the admin sets hours: Monday to Friday, 09:00–18:00 in the company's time zone.
DEFAULT_HOURS = {str(day): [["09:00", "18:00"]] if day < 5 else [] for day in range(7)}
MAX_TARGET_MINUTES = 365 * 24 * 60
READERS = EVERYONE
EDITORS = MANAGERS


def can_change_settings(actor) -> bool:
    """Whether ``actor`` may change the hours, holidays or targets (pages hide the forms)."""
    return has_role(actor, EDITORS)


def view_calendar(*, actor) -> dict:
    """The business hours and time zone, for a staff member to read."""
    require_role(actor, READERS)
    return calendar_settings()


def view_holidays(*, actor) -> list[Holiday]:
    """The holidays by date, for a staff member to read."""
    require_role(actor, READERS)
    return list_holidays()


def view_policies(*, actor) -> list[SlaPolicy]:
    """The targets in priority order (low first), for a staff member to read."""
    require_role(actor, READERS)
    return sorted(policies().values(), key=lambda p: PRIORITIES.index(p.priority))


def preview_due(*, actor, priority: str, start: datetime):
    """``(first response due, resolution due)`` for a ticket of ``priority`` created at
    ``start``; both None when the priority has no SLA."""
    require_role(actor, READERS)
    check_choice("priority", priority, PRIORITIES)
    targets = targets_for(priority)
    if targets is None:
        return None, None
    calendar = load_calendar()
    return (add_business_minutes(start, targets.first_response_minutes, calendar),
            add_business_minutes(start, targets.resolution_minutes, calendar))


def calendar_settings() -> dict:
    """``{"timezone", "hours"}`` as stored, or the defaults."""
    row = db.session.scalar(select(BusinessCalendar))
    if row is None:
        return {"timezone": current_tenant().timezone or "UTC", "hours": DEFAULT_HOURS}
    return {"timezone": row.timezone, "hours": row.hours}


def _build_calendar() -> Calendar:
    settings = calendar_settings()
    return Calendar.build(settings["timezone"], settings["hours"],
                          db.session.scalars(select(Holiday.day)))


def load_calendar() -> Calendar:
    """The current tenant's business calendar, holidays included. Without stored hours the
    calendar follows the company's time zone, which is changed elsewhere: it is part of the
    key instead of a reason to bump the version."""
    tenant = current_tenant()
    return cached("sla_calendar", _build_calendar, tenant.timezone if tenant else None)


def _clean_hours(hours: dict) -> dict:
    """``{weekday: [[open, close], ...]}`` → the stored form, or 422 per weekday."""
    fields, out = {}, {}
    if not isinstance(hours, dict) or not set(map(str, hours)) <= {str(d) for d in range(7)}:
        raise ValidationFailed(fields={"hours": _("Give hours for weekdays 0 (Monday) to 6.")})
    for day in range(7):
        intervals = hours.get(str(day), hours.get(day)) or []
        try:
            parsed = sorted((parse_hhmm(a), parse_hhmm(b)) for a, b in intervals)
        except (TypeError, ValueError):
            fields[f"hours.{day}"] = _("Write times as HH:MM, e.g. 09:00 and 18:00.")
            continue
        if any(a >= b for a, b in parsed) or any(
                parsed[i][1] > parsed[i + 1][0] for i in range(len(parsed) - 1)):
            fields[f"hours.{day}"] = _("Each opening must end after it starts, "
                                       "without overlapping another.")
            continue
        out[str(day)] = [[format_hhmm(a), format_hhmm(b)] for a, b in parsed]
    if fields:
        raise ValidationFailed(fields=fields)
    if not any(out.values()):
        raise ValidationFailed(fields={"hours": _("Open on at least one day of the week.")})
    return out


def save_calendar(*, actor, timezone: str, hours: dict) -> BusinessCalendar:
    """Set the tenant's time zone and opening hours (Monday is weekday 0)."""
    require_role(actor, EDITORS)
    if not is_timezone(timezone):
        raise ValidationFailed(fields={"timezone": _(
            "Unknown time zone; use a name such as Europe/Moscow.")})
    hours = _clean_hours(hours)
    row = db.session.scalar(select(BusinessCalendar))
    before = calendar_settings()
    if row is None:
        row = BusinessCalendar(timezone=timezone, hours=hours)
        db.session.add(row)
    else:
        row.timezone, row.hours = timezone, hours
    db.session.flush()
    settings_changed()
    after = {"timezone": timezone, "hours": hours}
    if after != before:
        record_event(actor, "sla.calendar_changed", row, {"before": before, "after": after})
    return row


def list_holidays() -> list[Holiday]:
    return list(db.session.scalars(select(Holiday).order_by(Holiday.day)))


def add_holiday(*, actor, day: date, name: str = "") -> Holiday:
    """Close the desk for a whole date (in the calendar's time zone)."""
    require_role(actor, EDITORS)
    name = (name or "").strip()
    if len(name) > 200:
        raise ValidationFailed(fields={"name": _("Enter at most 200 characters.")})
    if db.session.scalar(select(Holiday.id).where(Holiday.day == day)) is not None:
        raise Conflict(_("%(day)s is already a holiday.", day=day.isoformat()),
                       fields={"day": _("Already a holiday.")})
    holiday = Holiday(day=day, name=name)
    db.session.add(holiday)
    db.session.flush()
    settings_changed()
    record_event(actor, "sla.holiday_added", holiday, {"day": day.isoformat(), "name": name})
    return holiday


def delete_holiday(*, actor, holiday_id: int) -> None:
    """Open the desk again on a holiday's date."""
    require_role(actor, EDITORS)
    holiday = db.session.get(Holiday, holiday_id)
    if holiday is None:
        raise NotFound(_("Holiday not found."))
    record_event(actor, "sla.holiday_removed", holiday,
                 {"day": holiday.day.isoformat(), "name": holiday.name})
    db.session.delete(holiday)
    db.session.flush()
    settings_changed()


def policies() -> dict[str, SlaPolicy]:
    return {p.priority: p for p in db.session.scalars(select(SlaPolicy))}


def _load_targets() -> dict[str, Targets]:
    return {priority: Targets(p.first_response_minutes, p.resolution_minutes)
            for priority, p in policies().items()}


def targets_for(priority: str | None) -> Targets | None:
    """The targets for ``priority``; None when the tenant set none (no SLA for it)."""
    return cached("sla_targets", _load_targets).get(priority)


def _policy_state() -> dict:
    return {p: [row.first_response_minutes, row.resolution_minutes]
            for p, row in sorted(policies().items())}


def save_policies(*, actor, targets: list[dict]) -> dict[str, SlaPolicy]:
    """Replace the targets: ``[{priority, first_response_minutes, resolution_minutes}]``;
    a priority left out has no SLA."""
    require_role(actor, EDITORS)
    fields, seen = {}, set()
    for index, item in enumerate(targets):
        priority = item.get("priority")
        first, resolution = item.get("first_response_minutes"), item.get("resolution_minutes")
        where = f"policies.{index}"
        if priority not in PRIORITIES:
            fields[f"{where}.priority"] = _("Choose one of: %(values)s.",
                                            values=", ".join(PRIORITIES))
        elif priority in seen:
            fields[f"{where}.priority"] = _("Each priority once.")
        seen.add(priority)
        for key, value in (("first_response_minutes", first),
                           ("resolution_minutes", resolution)):
            if not isinstance(value, int) or isinstance(value, bool) or not (
                    1 <= value <= MAX_TARGET_MINUTES):
                fields[f"{where}.{key}"] = _("Enter whole minutes from 1 to %(n)d.",
                                             n=MAX_TARGET_MINUTES)
        if f"{where}.first_response_minutes" not in fields and \
                f"{where}.resolution_minutes" not in fields and resolution < first:
            fields[f"{where}.resolution_minutes"] = _(
                "Resolution can't be due before the first response.")
    if fields:
        raise ValidationFailed(fields=fields)
    before = _policy_state()
    db.session.execute(delete(SlaPolicy))
    for item in targets:
        db.session.add(SlaPolicy(priority=item["priority"],
                                 first_response_minutes=item["first_response_minutes"],
                                 resolution_minutes=item["resolution_minutes"]))
    db.session.flush()
    settings_changed()
    after = _policy_state()
    if after != before:
        record_event(actor, "sla.policies_changed", ("sla_policy", ""),
                     {"before": before, "after": after})
    return policies()
