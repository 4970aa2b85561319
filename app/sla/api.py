"""API: SLA settings (business hours, holidays, targets per priority) and a due-time preview."""
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field

from app.api.core import endpoint
from app.api.limits import MAX_OPENINGS, MAX_TIME, MAX_WEEKDAYS, Choice
from app.api.pagination import whole_list
from app.db_types import utcnow
from app.sla import settings
from app.sla.notify import settings_changed
from app.tickets.constants import PRIORITIES

# The service checks the rights; naming them here refuses early and lists the 403.
EDITORS = settings.EDITORS


Weekday = Annotated[str, Field(max_length=1)]  # "0" (Monday) to "6"; the service checks
Opening = Annotated[list[Annotated[str, Field(max_length=MAX_TIME)]],
                    Field(max_length=2)]  # [opens, closes]


class CalendarIn(BaseModel):
    timezone: str = Field(max_length=64, description="IANA name, e.g. Europe/Moscow")
    hours: dict[Weekday, Annotated[list[Opening], Field(max_length=MAX_OPENINGS)]] = Field(
        max_length=MAX_WEEKDAYS,
        description='weekday (0 = Monday … 6) → [["09:00", "18:00"], …]; empty = closed')


class CalendarOut(CalendarIn):
    pass


class HolidayIn(BaseModel):
    day: date
    name: str = Field("", max_length=200)


class HolidayOut(BaseModel):
    id: int
    day: date
    name: str


class HolidayList(BaseModel):
    items: list[HolidayOut]
    next_cursor: str | None


class PolicyItem(BaseModel):
    priority: Choice = Field(description=", ".join(PRIORITIES))
    first_response_minutes: int = Field(description="business minutes")
    resolution_minutes: int = Field(description="business minutes")


class PoliciesIn(BaseModel):
    policies: list[PolicyItem] = Field(max_length=len(PRIORITIES),
                                       description="a priority left out has no SLA")


class PolicyList(BaseModel):
    items: list[PolicyItem]


class PreviewQuery(BaseModel):
    priority: Choice = "normal"
    start: datetime | None = Field(None, description="default: now")


class PreviewOut(BaseModel):
    first_response_due_at: datetime | None
    resolution_due_at: datetime | None


def _policy_json(policy) -> dict:
    return {"priority": policy.priority, "first_response_minutes": policy.first_response_minutes,
            "resolution_minutes": policy.resolution_minutes}


def _policies_json(staff) -> dict:
    return {"items": [_policy_json(p) for p in settings.view_policies(actor=staff)]}


def _holiday_json(holiday) -> dict:
    return {"id": holiday.id, "day": holiday.day.isoformat(), "name": holiday.name}


@endpoint("/sla/calendar", "GET", summary="Business hours and time zone", tag="sla",
          response=CalendarOut)
def get_calendar(staff):
    return settings.view_calendar(actor=staff)


@endpoint("/sla/calendar", "PUT", summary="Set business hours and time zone", tag="sla",
          body=CalendarIn, response=CalendarOut, roles=EDITORS)
def put_calendar(staff, data: CalendarIn):
    settings.save_calendar(actor=staff, timezone=data.timezone, hours=data.hours)
    settings_changed()
    return settings.calendar_settings()


@endpoint("/sla/holidays", "GET", summary="Holidays (closed dates)", tag="sla",
          response=HolidayList)
def list_holidays(staff):
    return whole_list(settings.view_holidays(actor=staff), _holiday_json)


@endpoint("/sla/holidays", "POST", summary="Add a holiday", tag="sla", body=HolidayIn,
          response=HolidayOut, status=201, roles=EDITORS, errors=(409,))
def add_holiday(staff, data: HolidayIn):
    holiday = settings.add_holiday(actor=staff, day=data.day, name=data.name)
    settings_changed()
    return _holiday_json(holiday), 201


@endpoint("/sla/holidays/<int:holiday_id>", "DELETE", summary="Remove a holiday", tag="sla",
          status=204, roles=EDITORS, errors=(404,))
def delete_holiday(staff, holiday_id: int):
    settings.delete_holiday(actor=staff, holiday_id=holiday_id)
    settings_changed()


@endpoint("/sla/policies", "GET", summary="SLA targets per priority", tag="sla",
          response=PolicyList)
def get_policies(staff):
    return _policies_json(staff)


@endpoint("/sla/policies", "PUT", summary="Replace the SLA targets", tag="sla",
          body=PoliciesIn, response=PolicyList, roles=EDITORS)
def put_policies(staff, data: PoliciesIn):
    settings.save_policies(actor=staff, targets=[p.model_dump() for p in data.policies])
    settings_changed()
    return _policies_json(staff)


@endpoint("/sla/preview", "GET", summary="Due times for a ticket created at a given moment",
          tag="sla", query=PreviewQuery, response=PreviewOut)
def preview(staff, query: PreviewQuery):
    first, resolution = settings.preview_due(actor=staff, priority=query.priority,
                                             start=query.start or utcnow())
    return {"first_response_due_at": first.isoformat() if first else None,
            "resolution_due_at": resolution.isoformat() if resolution else None}
