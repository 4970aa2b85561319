"""Daily and monthly rollups of a tenant's ticket figures, rebuilt a day at a time.

Why rollups and not aggregates over the tickets at request time: a year of a large tenant is
a million tickets, and the figures the reports need — first-response and resolution times in
*business* hours, from the SLA calendar — can't be computed by SQL (the calendar has
holidays, time zones and DST), nor read in Python for a million rows within a request. So a
day's figures are computed once, in Python with the SLA calendar, from that day's tickets
(found through indexes on ``created_at``, ``first_response_at`` and ``resolved_at``), and
stored per dimension with duration histograms; a week (Monday first) and a month row sum
their days. A report then adds up a few hundred small rows: months for whole months, weeks
for whole weeks at the edges, days for the rest. Every figure is kept per dimension —
reopenings and ratings too, by the dimensions of their ticket (deflection has no ticket:
``app.kb.figures`` counts it for the whole company). The "author" dimension counts each
staff member's replies and notes of the day, for the staff statistics.

The rollups are kept current by jobs (``app.reports.jobs``): every change of a ticket marks
its days, a job refreshes marked days each minute, today is refreshed every quarter hour
(ratings), and every night the last weeks are rebuilt (reassignments change only the
dimension keys, which no signal announces). A tenant without a state row gets its whole
history built on the first refresh.
"""
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import delete, func, insert, select

from app.db_types import utcnow
from app.events.models import Event
from app.extensions import db
from app.portal.models import TicketRating
from app.reports import histogram
from app.reports.models import Rollup, RollupState
from app.reports.summing import Grouped
from app.reports.timeline import BusinessTimeline, local_day
from app.sla.settings import load_calendar
from app.staff.models import Staff
from app.tickets.constants import DONE_STATUSES
from app.tickets.models import Message, Ticket
from tenants import context
from tenants.resolve import current_tenant

COUNTS = ("received", "resolved", "reopened", "sla_total", "sla_met", "ratings", "rating_sum",
          "replies", "notes")
HISTOGRAMS = ("first_response", "resolution")
CHUNK_DAYS = 31  # days read per round of queries while rebuilding a long history
_DIMENSION_COLUMNS = (Ticket.department_id, Ticket.assignee_id, Ticket.type, Ticket.priority,
                      Ticket.channel)


def tenant_zone() -> ZoneInfo:
    """The current tenant's time zone: the days reports are counted in."""
    tenant = current_tenant()
    try:
        return ZoneInfo((tenant.timezone if tenant else None) or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def day_start(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), zone)


def _keys(department_id, assignee_id, type_, priority, channel) -> list[tuple[str, str]]:
    return [("all", ""), ("department", str(department_id or "")),
            ("agent", str(assignee_id or "")), ("type", type_ or ""),
            ("priority", priority or ""), ("channel", channel or "")]


def _blank() -> dict:
    return dict.fromkeys(COUNTS, 0) | {name: histogram.empty() for name in HISTOGRAMS}


def _live(stmt):
    """Tickets the reports count: not in the trash, not spam."""
    return stmt.where(Ticket.deleted_at.is_(None), Ticket.spam.is_(False))


def _collect(first: date, last: date, zone: ZoneInfo, timeline: BusinessTimeline) -> dict:
    """``{(day, dimension, key): figures}`` for the local days ``first``..``last``."""
    since, until = day_start(first, zone), day_start(last + timedelta(days=1), zone)
    rows: dict = defaultdict(_blank)

    def bump(day, keys, name, amount=1):
        for dimension, key in keys:
            rows[(day, dimension, key)][name] += amount

    def record(day, keys, name, seconds):
        for dimension, key in keys:
            histogram.add(rows[(day, dimension, key)][name], seconds)

    received = db.session.execute(_live(select(Ticket.created_at, *_DIMENSION_COLUMNS)).where(
        Ticket.created_at >= since, Ticket.created_at < until))
    for created_at, *dims in received:
        bump(local_day(created_at, zone), _keys(*dims), "received")
    answered = db.session.execute(_live(select(
        Ticket.created_at, Ticket.first_response_at, *_DIMENSION_COLUMNS)).where(
        Ticket.first_response_at >= since, Ticket.first_response_at < until))
    for created_at, answered_at, *dims in answered:
        record(local_day(answered_at, zone), _keys(*dims), "first_response",
               timeline.between(created_at, answered_at))
    resolved = db.session.execute(_live(select(
        Ticket.created_at, Ticket.resolved_at, Ticket.sla_breached,
        Ticket.first_response_due_at, Ticket.resolution_due_at, *_DIMENSION_COLUMNS)).where(
        Ticket.resolved_at >= since, Ticket.resolved_at < until,
        Ticket.status.in_(DONE_STATUSES)))
    for created_at, resolved_at, breached, first_due, resolution_due, *dims in resolved:
        day, keys = local_day(resolved_at, zone), _keys(*dims)
        bump(day, keys, "resolved")
        record(day, keys, "resolution", timeline.between(created_at, resolved_at))
        if first_due is not None or resolution_due is not None:
            bump(day, keys, "sla_total")
            if not breached:
                bump(day, keys, "sla_met")
    for day, keys in _reopenings(since, until, zone):
        bump(day, keys, "reopened")
    ratings = db.session.execute(_live(select(
        TicketRating.rated_at, TicketRating.score, *_DIMENSION_COLUMNS)
        .join(Ticket, Ticket.id == TicketRating.ticket_id)).where(
        TicketRating.rated_at >= since, TicketRating.rated_at < until))
    for rated_at, score, *dims in ratings:
        day, keys = local_day(rated_at, zone), _keys(*dims)
        bump(day, keys, "ratings")
        bump(day, keys, "rating_sum", score)
    for created_at, staff_id, internal in staff_messages(since, until):
        bump(local_day(created_at, zone), [("author", str(staff_id))],
             "notes" if internal else "replies")
    return rows


def staff_messages(since: datetime, until: datetime):
    """(moment, staff id, internal) of the messages staff wrote between ``since`` and
    ``until``: every staff member's stretch of ``ix_messages_staff_at``, index only (a
    request staff typed in for a customer names them too, as the customer's message)."""
    people = list(db.session.scalars(select(Staff.id)))
    return db.session.execute(select(Message.created_at, Message.staff_id, Message.internal)
                              .where(Message.staff_id.in_(people), Message.author_kind == "staff",
                                     Message.created_at >= since, Message.created_at < until))


def _reopenings(since: datetime, until: datetime, zone: ZoneInfo) -> list[tuple[date, list]]:
    """(local day, dimension keys) of each reopening between ``since`` and ``until``: a
    status change from done to not done, of a ticket the reports count."""
    changes = db.session.execute(select(Event.at, Event.object_id, Event.data).where(
        Event.action == "ticket.status_changed", Event.object_type == "ticket",
        Event.at >= since, Event.at < until))
    found = [(at, int(object_id)) for at, object_id, data in changes
             if (data or {}).get("before") in DONE_STATUSES
             and (data or {}).get("after") not in DONE_STATUSES and object_id.isdigit()]
    if not found:
        return []
    dimensions = {ticket_id: _keys(*dims) for ticket_id, *dims in db.session.execute(
        _live(select(Ticket.id, *_DIMENSION_COLUMNS)).where(
            Ticket.id.in_(sorted({ticket_id for _at, ticket_id in found}))))}
    return [(local_day(at, zone), dimensions[ticket_id]) for at, ticket_id in found
            if ticket_id in dimensions]


def _write(span: str, rows: dict) -> None:
    tenant_id = context.current_tenant_id()
    values = [{"tenant_id": tenant_id, "span": span, "day": day, "dimension": dimension,
               "key": key, **figures, **{name: histogram.encode(figures[name])
                                         for name in HISTOGRAMS}}
              for (day, dimension, key), figures in rows.items()]
    if values:
        db.session.execute(insert(Rollup), values)


def _ranges(days: Iterable[date]) -> list[tuple[date, date]]:
    """Sorted days as contiguous ranges of at most ``CHUNK_DAYS``."""
    out: list[tuple[date, date]] = []
    for day in sorted(set(days)):
        if out and day == out[-1][1] + timedelta(days=1) and \
                (day - out[-1][0]).days < CHUNK_DAYS:
            out[-1] = (out[-1][0], day)
        else:
            out.append((day, day))
    return out


def _sum_spans(span: str, starts: Iterable[date]) -> None:
    """Replace each week's or month's rows with the sum of its day rows."""
    columns = (Rollup.dimension, Rollup.key, *(getattr(Rollup, name)
                                               for name in COUNTS + HISTOGRAMS))
    for start in sorted(set(starts)):
        following = start + timedelta(days=7) if span == "week" else \
            (start.replace(day=28) + timedelta(days=4)).replace(day=1)
        db.session.execute(delete(Rollup).where(Rollup.span == span, Rollup.day == start))
        days = db.session.execute(select(*columns).where(
            Rollup.span == "day", Rollup.day >= start, Rollup.day < following)).all()
        grouped = Grouped(days, lambda row: (row[0], row[1]))
        counts = grouped.counts(2, 2 + len(COUNTS))
        histograms = {name: grouped.histograms(2 + len(COUNTS) + n)
                      for n, name in enumerate(HISTOGRAMS)}
        sums = {}
        for n, (dimension, key) in enumerate(grouped.groups):
            sums[(start, dimension, key)] = dict(zip(COUNTS, map(int, counts[n]), strict=True)) \
                | {name: matrix[n] for name, matrix in histograms.items()}
        _write(span, sums)


def refresh_days(days: Iterable[date]) -> int:
    """Recompute the current tenant's rollups of ``days`` (local dates) and of their months.
    Idempotent; returns the number of days refreshed."""
    zone, timeline = tenant_zone(), BusinessTimeline(load_calendar())
    ranges = _ranges(days)
    for first, last in ranges:
        rows = _collect(first, last, zone, timeline)
        db.session.execute(delete(Rollup).where(
            Rollup.span == "day", Rollup.day >= first, Rollup.day <= last))
        _write("day", rows)
    db.session.expire_all()  # the rows just written replace any loaded ones
    edges = [day for first, last in ranges for day in (first, last)]
    _sum_spans("month", (day.replace(day=1) for day in edges))
    _sum_spans("week", (day - timedelta(days=day.weekday()) for day in edges))
    _stamp()
    return sum((last - first).days + 1 for first, last in ranges)


def _stamp() -> None:
    state = db.session.get(RollupState, context.current_tenant_id())
    if state is None:
        db.session.add(RollupState(built_at=utcnow(), timezone=tenant_zone().key))
    else:
        state.built_at, state.timezone = utcnow(), tenant_zone().key


def today() -> date:
    return local_day(utcnow(), tenant_zone())


def rebuild() -> int:
    """Build the current tenant's rollups of its whole history (first ticket to today)."""
    db.session.execute(delete(Rollup))
    first = db.session.scalar(_live(select(func.min(Ticket.created_at))))
    end = today()
    start = local_day(first, tenant_zone()) if first is not None else end
    return refresh_days(start + timedelta(days=n) for n in range((end - start).days + 1))


def is_built() -> bool:
    """Whether the whole history is rolled up, in the tenant's current time zone."""
    state = db.session.get(RollupState, context.current_tenant_id())
    return state is not None and state.timezone == tenant_zone().key


def built_at() -> datetime | None:
    state = db.session.get(RollupState, context.current_tenant_id())
    return state.built_at if state is not None else None


def refresh(days: Iterable[date] = ()) -> int:
    """The jobs' step: the whole history when never built, else ``days`` and today."""
    if not is_built():
        return rebuild()
    return refresh_days({today(), *days})
