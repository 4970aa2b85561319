"""The home page's figures: the state of support at a glance for admins and managers, the
own queue for an agent.

Today's counts are live (indexes on ``created_at`` and ``resolved_at``); the 14 days before
come from the rollups; counts that could run long are capped, so the home page stays fast
for a million tickets. The dashboard is not the reports add-on: every tenant has it.
"""
from datetime import timedelta

from sqlalchemy import func, select

from app.errors import Forbidden
from app.extensions import db
from app.reports import reading, rollup
from app.staff.roles import MANAGERS, has_role
from app.tickets.constants import DONE_STATUSES
from app.tickets.display import ACTIVE, NEAR, near_breach
from app.tickets.listing import page, ticket_query
from app.tickets.models import Ticket
from billing.catalog import daily_cost
from tenants.resolve import current_tenant

COUNT_CAP = 999
SPARK_DAYS = 14
QUEUE_SIZE = 25


def _capped(stmt) -> int:
    ids = stmt.with_only_columns(Ticket.id).order_by(None).limit(COUNT_CAP + 1)
    return db.session.scalar(select(func.count()).select_from(ids.subquery()))


def _live(stmt):
    return stmt.where(Ticket.deleted_at.is_(None), Ticket.spam.is_(False))


def _today_counts() -> tuple[int, int]:
    zone = rollup.tenant_zone()
    since = rollup.day_start(rollup.today(), zone)
    received = db.session.scalar(_live(select(func.count(Ticket.id)))
                                 .where(Ticket.created_at >= since))
    resolved = db.session.scalar(_live(select(func.count(Ticket.id))).where(
        Ticket.resolved_at >= since, Ticket.status.in_(DONE_STATUSES)))
    return received, resolved


def _spark(received_today: int, resolved_today: int) -> list[dict]:
    if not rollup.is_built():
        rollup.rebuild()
    today = rollup.today()
    start = today - timedelta(days=SPARK_DAYS - 1)
    days = {start + timedelta(days=n): [0, 0] for n in range(SPARK_DAYS)}
    for row in reading.rows(start, today - timedelta(days=1), ("all",), spans=()):
        days[row[2]] = [row[4], row[5]]  # received, resolved (``rollup.COUNTS`` order)
    days[today] = [received_today, resolved_today]
    return [{"day": day, "received": r, "resolved": s} for day, (r, s) in sorted(days.items())]


def _runway(tenant) -> int | None:
    """Whole days the balance lasts at today's daily cost (None: nothing is charged)."""
    cost = daily_cost(tenant).total
    if cost <= 0:
        return None
    return max(0, tenant.balance // cost)


def admin_dashboard(*, actor) -> dict:
    """Admins and managers: today's received and resolved, the backlog, tickets near or past
    an SLA breach, deferred tickets, the balance and the days it lasts, 14 days of received
    and resolved."""
    if not has_role(actor, MANAGERS):
        raise Forbidden()
    tenant = current_tenant()
    received, resolved = _today_counts()
    backlog = select(Ticket).where(Ticket.status.in_(ACTIVE), Ticket.deferred.is_(False))
    return {
        "received_today": received, "resolved_today": resolved,
        "backlog": _capped(_live(backlog)),
        "near_breach": _capped(near_breach(ticket_query(actor), NEAR)),
        "deferred": _capped(_live(select(Ticket).where(Ticket.deferred.is_(True)))),
        "balance": tenant.balance, "currency": tenant.currency,
        "days_left": _runway(tenant), "cap": COUNT_CAP,
        "spark": _spark(received, resolved)}


def my_queue(*, actor) -> list:
    """An agent's own active tickets, newest first (what they may see, as the inbox)."""
    return page(ticket_query(actor, status=ACTIVE, assignee_id=actor.id),
                limit=QUEUE_SIZE).items
