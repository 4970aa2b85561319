"""SLA settings: the tenant's business calendar, holidays and per-priority targets."""
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import Id, Json, UtcDateTime, utcnow
from app.extensions import db
from app.tickets.constants import PRIORITIES, sql_in
from tenants.scoping import TenantScoped


class BusinessCalendar(TenantScoped, db.Model):
    """One per tenant: opening hours per weekday in a time zone."""

    __tablename__ = "sla_calendars"
    __event_type__ = "sla_calendar"
    __table_args__ = (UniqueConstraint("tenant_id"), UniqueConstraint("tenant_id", "id"))

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    timezone: Mapped[str] = mapped_column(String(64))
    # {"0": [["09:00", "18:00"]], ..., "6": []} — Monday is 0; an empty list is a closed day.
    hours: Mapped[dict] = mapped_column(Json, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class Holiday(TenantScoped, db.Model):
    """A closed date in the calendar's time zone."""

    __tablename__ = "sla_holidays"
    __table_args__ = (UniqueConstraint("tenant_id", "id"), UniqueConstraint("tenant_id", "day"))

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(200), default="")


class SlaPolicy(TenantScoped, db.Model):
    """Targets for one priority, in business minutes."""

    __tablename__ = "sla_policies"
    __event_type__ = "sla_policy"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "priority"),
        CheckConstraint(f"priority IN {sql_in(PRIORITIES)}", name="priority"),
        CheckConstraint("first_response_minutes > 0 AND resolution_minutes > 0",
                        name="positive_targets"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    priority: Mapped[str] = mapped_column(String(16))
    first_response_minutes: Mapped[int] = mapped_column(Integer)
    resolution_minutes: Mapped[int] = mapped_column(Integer)
