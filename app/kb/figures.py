"""Deflection figures: how often, per tenant and day of its calendar, the knowledge base
answered before a ticket was written — for the reports.

``record(tenant_id, kind, n)`` adds to one counter of the current tenant's day with one
upsert (no read-then-write), inside the caller's unit of work: a rolled-back request counts
nothing. The widget and the portal call it; so do the article page's votes.
"""
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from app.db_types import utcnow
from app.extensions import db
from app.kb.models import DailyFigure
from tenants import context
from tenants.resolve import tenant_row

KINDS = (
    "suggestions_shown",      # articles suggested to a customer (count of articles shown)
    "article_opened_widget",  # an article opened from the widget
    "article_opened_portal",  # an article opened from the portal
    "session_deflected",      # a widget session opened an article and sent no request
    "helpful_yes",            # "did this help?" — yes
    "helpful_no",             # … and no
)


def tenant_today(tenant_id: int, when: datetime | None = None) -> date:
    """The calendar day ``when`` (default now) falls on in the tenant's time zone."""
    tenant = tenant_row(tenant_id)
    try:
        zone = ZoneInfo((tenant.timezone if tenant else None) or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return (when or utcnow()).astimezone(zone).date()


def record(tenant_id: int, kind: str, n: int = 1) -> None:
    """Add ``n`` to today's ``kind`` figure of ``tenant_id``, which must be the current
    tenant (the request's or job's). ``kind`` is one of ``KINDS``."""
    if kind not in KINDS:
        raise ValueError(f"unknown knowledge-base figure {kind!r}")
    if n < 0:
        raise ValueError("figures only grow")
    if n == 0:
        return
    if context.current_tenant_id() != tenant_id:
        raise context.TenantContextError(
            f"figure of tenant {tenant_id} recorded as tenant {context.current_tenant_id()}")
    dialect = db.session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(DailyFigure)
    statement = insert.values(tenant_id=tenant_id, day=tenant_today(tenant_id), kind=kind,
                              count=n)
    db.session.execute(statement.on_conflict_do_update(
        index_elements=["tenant_id", "day", "kind"],
        set_={"count": DailyFigure.count + statement.excluded.count}))


def figures_between(start: date, end: date) -> dict[date, dict[str, int]]:
    """The current tenant's figures per day from ``start`` to ``end`` (inclusive): every
    kind of every day, zero where nothing happened."""
    days: dict[date, dict[str, int]] = {}
    day = start
    while day <= end:
        days[day] = dict.fromkeys(KINDS, 0)
        day = date.fromordinal(day.toordinal() + 1)
    rows = db.session.execute(select(DailyFigure.day, DailyFigure.kind, DailyFigure.count)
                              .where(DailyFigure.day >= start, DailyFigure.day <= end))
    for day, kind, count in rows:
        if day in days and kind in days[day]:
            days[day][kind] = count
    return days
