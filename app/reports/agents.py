"""Staff activity statistics: per agent, what they did in a range and what they hold now.

Replies and notes are the agent's own messages in the range (the rollups' "author"
dimension, and today's messages through ``ix_messages_staff_at``);
resolved and the median first response come from the rollups' "agent" dimension (tickets
assigned to the agent, counted on the day they were resolved or first answered); the open
load is the agent's assigned tickets still being worked on; last activity is the agent's
latest message or sign-in.

Overloaded: an agent holding more than ``OVERLOAD_FACTOR`` times the team's median open
load, and at least ``OVERLOAD_MARGIN`` tickets more than it — the median, not the mean, so
one agent drowning doesn't raise the bar that should flag them.
"""
from datetime import timedelta
from statistics import median

from sqlalchemy import func, select

from app.errors import NotFound
from app.extensions import db
from app.reports import reading, rollup
from app.reports.periods import Range, parse_range
from app.reports.service import check_access
from app.staff.models import Staff
from app.staff.roles import MANAGERS, require_role
from app.tickets.display import ACTIVE
from app.tickets.models import Message, Ticket

OVERLOAD_FACTOR = 1.5
OVERLOAD_MARGIN = 3


def _messages(span: Range, zone) -> dict[int, dict[str, int]]:
    """Replies and notes per person in the range: the days before today from the rollups'
    "author" dimension, today counted live (a note changes no ticket day, so the rollups
    could lag behind it until the next quarter-hour refresh)."""
    out: dict[int, dict[str, int]] = {}
    today = rollup.today()
    rolled_until = min(span.end, today - timedelta(days=1))
    if span.start <= rolled_until:
        rows = reading.rows(span.start, rolled_until, ("author",))
        for key, figures in reading.totals(rows, lambda row: row[3]).items():
            out[int(key)] = {"replies": figures["replies"], "notes": figures["notes"]}
    if span.start <= today <= span.end:
        since = rollup.day_start(today, zone)
        for _at, staff_id, internal in rollup.staff_messages(
                since, rollup.day_start(today + timedelta(days=1), zone)):
            out.setdefault(staff_id, {"replies": 0, "notes": 0})[
                "notes" if internal else "replies"] += 1
    return out


def open_load_statement(staff_ids: list[int], *where):
    """Active tickets per assignee among ``staff_ids``, written for the partial index
    ``ix_tickets_inbox_assignee_status`` (tenant, assignee, status; inbox predicate): the
    assignees as a list, the inbox predicate as the index states it (``NOT deferred``: the
    planner can't prove the index's ``NOT deferred`` from ``deferred IS false``, and read
    the whole table under row-level security), and no column outside the index, so it is an
    index-only scan."""
    return (select(Ticket.assignee_id, func.count())
            .where(Ticket.assignee_id.in_(staff_ids), Ticket.status.in_(ACTIVE),
                   Ticket.deleted_at.is_(None), Ticket.archived_at.is_(None), ~Ticket.deferred,
                   *where)
            .group_by(Ticket.assignee_id))


def _open_load(staff_ids: list[int]) -> dict[int, int]:
    """Active tickets held by each of ``staff_ids``. Spam, which the index doesn't know, is
    the few tickets of ``ix_tickets_spam``, subtracted."""
    if not staff_ids:
        return {}
    load = dict(db.session.execute(open_load_statement(staff_ids)).all())
    spam = dict(db.session.execute(open_load_statement(staff_ids, Ticket.spam)).all())
    return {staff_id: count - spam.get(staff_id, 0) for staff_id, count in load.items()}


def _last_messages(staff_ids: list[int]) -> dict[int, object]:
    """Each staff member's latest message: one statement, one short backward walk of
    ``ix_messages_staff_at`` per person."""
    if not staff_ids:
        return {}
    people = select(Staff.id).where(Staff.id.in_(staff_ids)).subquery()
    latest = select(func.max(Message.created_at)).where(
        Message.staff_id == people.c.id).scalar_subquery()
    return {staff_id: at for staff_id, at in db.session.execute(select(people.c.id, latest))
            if at is not None}


def flag_overloaded(items: list[dict]) -> None:
    loads = [item["open_now"] for item in items]
    bar = median(loads) if loads else 0
    for item in items:
        item["overloaded"] = item["open_now"] > max(bar * OVERLOAD_FACTOR,
                                                    bar + OVERLOAD_MARGIN)


def agent_statistics(*, actor, start=None, end=None, staff_id: int | None = None) -> dict:
    """Per active staff member (or just ``staff_id``, 404 when not one of the tenant's):
    ``{staff_id, name, role, replies, notes, resolved, first_response_median_s, open_now,
    last_active_at, overloaded}`` for ``start``..``end`` (default: the last 30 days).
    Admins and managers; needs the "reports" add-on."""
    if staff_id is not None:  # another company's staff member is a 404, whatever the plan
        require_role(actor, MANAGERS)
        if db.session.scalar(select(Staff.id).where(Staff.id == staff_id)) is None:
            raise NotFound()
    check_access(actor)
    if not rollup.is_built():
        rollup.rebuild()
    span = parse_range(period="day", start=start, end=end, today=rollup.today())
    zone = rollup.tenant_zone()
    chosen = select(Staff).order_by(Staff.name)
    chosen = chosen.where(Staff.id == staff_id) if staff_id is not None \
        else chosen.where(Staff.active.is_(True))
    people = list(db.session.scalars(chosen))
    if staff_id is not None and not people:
        raise NotFound()
    ids = [person.id for person in people]
    messages, load, last = _messages(span, zone), _open_load(ids), _last_messages(ids)
    figures = reading.totals(reading.rows(span.start, span.end, ("agent",)),
                             lambda row: row[3])
    items = []
    for person in people:
        mine = figures.get(str(person.id)) or reading.blank()
        latest = [m for m in (last.get(person.id), person.last_login_at) if m]
        items.append({
            "staff_id": person.id, "name": person.name, "role": person.role,
            **messages.get(person.id, {"replies": 0, "notes": 0}),
            "resolved": mine["resolved"],
            "first_response_median_s": mine["first_response_median_s"],
            "open_now": load.get(person.id, 0),
            "last_active_at": max(latest).isoformat() if latest else None})
    flag_overloaded(items)
    return {"from": span.start.isoformat(), "to": span.end.isoformat(), "items": items}
