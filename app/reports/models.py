"""The rollups the reports add up, and when a tenant's rollups were last refreshed."""
from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import UtcDateTime
from app.extensions import db
from tenants.scoping import TenantScoped

DIMENSIONS = ("all", "department", "agent", "type", "priority", "channel", "author")


class Rollup(TenantScoped, db.Model):
    """One day (``span="day"``), week (``"week"``) or month (``"month"``; ``day`` is the first
    day of either) of the tenant's
    calendar, for one ``dimension`` and ``key`` (``""`` for "all" and for tickets without a
    value): counts, and histograms of business-time durations in their stored form
    (``app.reports.histogram``).

    Each figure counts on the day its event happened: received on the day of creation,
    first response on the day of the response, resolved (with its duration and SLA outcome)
    on the day of resolution, reopenings and ratings on their day. The "author" dimension
    is the staff member who wrote (``key``: their id): only ``replies`` and ``notes``, the
    messages they wrote that day."""

    __tablename__ = "report_rollups"

    tenant_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True)
    span: Mapped[str] = mapped_column(String(8), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    received: Mapped[int] = mapped_column(Integer, default=0)
    resolved: Mapped[int] = mapped_column(Integer, default=0)
    reopened: Mapped[int] = mapped_column(Integer, default=0)
    sla_total: Mapped[int] = mapped_column(Integer, default=0)
    sla_met: Mapped[int] = mapped_column(Integer, default=0)
    ratings: Mapped[int] = mapped_column(Integer, default=0)
    rating_sum: Mapped[int] = mapped_column(Integer, default=0)
    replies: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[int] = mapped_column(Integer, default=0)
    first_response: Mapped[bytes] = mapped_column(LargeBinary, default=b"")
    resolution: Mapped[bytes] = mapped_column(LargeBinary, default=b"")


class RollupState(TenantScoped, db.Model):
    """Present once the tenant's whole history was rolled up; ``built_at`` is the last
    refresh (the reports say "figures as of"), ``timezone`` the zone its days are in (a
    company that moves to another zone gets its history rebuilt)."""

    __tablename__ = "report_states"

    tenant_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True)
    built_at: Mapped[datetime] = mapped_column(UtcDateTime)
    timezone: Mapped[str] = mapped_column(String(64))
