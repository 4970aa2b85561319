"""Plan limits: the staff limit and the daily ticket quota, both enforced in the database.

The quota counts tickets per tenant per day in the tenant's time zone. A ticket over
the quota is still stored, marked deferred; deferred tickets are released oldest
first as a later day's quota (or a bigger plan) allows.
"""
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.db_types import utcnow
from app.errors import PlanLimit
from app.events.service import record_event
from app.extensions import db
from app.settings_cache import cached
from app.staff.models import Staff
from billing.catalog import label, list_plans, tenant_plan
from billing.models import TicketQuota
from tenants import context
from tenants.models import Tenant
from tenants.resolve import tenant_row


def _ticket_model():
    """The Ticket model, or None while the ticket desk is not installed."""
    try:
        from app.tickets.models import Ticket
    except ImportError:  # billing works (and is tested) without the ticket desk
        return None
    return Ticket


def tenant_day(tenant: Tenant, when: datetime | None = None) -> date:
    """The calendar day ``when`` falls on in the tenant's time zone."""
    when = when or utcnow()
    try:
        zone = ZoneInfo(tenant.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return when.astimezone(zone).date()


def _insert(table):
    dialect = db.session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def _lock_tenant(tenant_id: int) -> Tenant:
    """Lock the tenant row: limit checks on one tenant run one after another."""
    return db.session.scalars(
        select(Tenant).where(Tenant.id == tenant_id).with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def _staff_allowed(plan) -> str:
    return ngettext("The %(plan)s plan allows %(num)d staff member.",
                    "The %(plan)s plan allows %(num)d staff members.", plan.max_staff,
                    plan=label(plan))


def check_staff_limit(_app, *, tenant_id: int | None = None) -> None:
    """Receiver of ``staff_adding``: refuse a staff member over the plan's limit.

    The tenant row is locked before counting, so parallel invitations queue up and
    can never exceed the limit together.
    """
    tenant_id = tenant_id or context.current_tenant_id()
    tenant = _lock_tenant(tenant_id)
    plan = tenant_plan(tenant)
    count = db.session.scalar(select(func.count()).select_from(Staff).where(
        Staff.tenant_id == tenant_id, Staff.active))
    if count < plan.max_staff:
        return
    bigger = [p for p in list_plans() if p.max_staff > count]
    if bigger:
        lift = min(bigger, key=lambda p: p.daily_price)
        message = " ".join((_staff_allowed(plan), _(
            "The %(bigger)s plan allows %(more)d.", bigger=label(lift), more=lift.max_staff)))
    else:
        message = _staff_allowed(plan)
    raise PlanLimit(message)


def daily_ticket_limit(tenant: Tenant) -> int:
    """The tenant's plan's daily ticket quota. It depends on the plan's name (on the tenant's
    row, read anyway) and the global catalog, whose version is part of every cache key."""
    return cached("tickets_per_day", lambda: tenant_plan(tenant).tickets_per_day, tenant.plan)


def claim_ticket_slot(tenant_id: int, when: datetime | None = None) -> bool:
    """Take one of the day's ticket slots; False when the quota is used up.

    One atomic statement: ``INSERT … ON CONFLICT DO UPDATE SET used = used + 1
    WHERE used < limit RETURNING``. No row back means the day is full.
    """
    tenant = tenant_row(tenant_id)
    limit = daily_ticket_limit(tenant)
    if limit <= 0:
        return False
    stmt = _insert(TicketQuota).values(tenant_id=tenant_id, day=tenant_day(tenant, when),
                                       used=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=["tenant_id", "day"],
        set_={"used": TicketQuota.__table__.c.used + 1},
        where=TicketQuota.__table__.c.used < limit,
    ).returning(TicketQuota.__table__.c.used)
    return db.session.execute(stmt).scalar() is not None


def admit_ticket(_app, *, tenant_id: int) -> bool:
    """Receiver of the ticket desk's ``ticket_admitting``: may a new ticket go live now?

    A suspended tenant's tickets are stored but deferred, without using the quota.
    """
    tenant = tenant_row(tenant_id)
    if tenant is None or tenant.suspended_at is not None:
        return False
    return claim_ticket_slot(tenant_id, utcnow())


def tickets_used(tenant: Tenant, when: datetime | None = None) -> int:
    return db.session.scalar(select(TicketQuota.used).where(
        TicketQuota.tenant_id == tenant.id, TicketQuota.day == tenant_day(tenant, when))) or 0


def deferred_count(tenant_id: int) -> int:
    Ticket = _ticket_model()
    if Ticket is None:
        return 0
    return db.session.scalar(select(func.count()).select_from(Ticket).where(
        Ticket.tenant_id == tenant_id, Ticket.deferred, Ticket.deleted_at.is_(None)))


def release_deferred(tenant_id: int, when: datetime | None = None, *, actor=None) -> int:
    """Release deferred tickets, oldest first, as far as today's quota allows.

    The day's quota row is locked while the slots are handed out, so a release and
    live ticket creations never together exceed the quota. Returns how many went live.
    """
    Ticket = _ticket_model()
    tenant = db.session.get(Tenant, tenant_id)
    if Ticket is None or tenant is None or tenant.suspended_at is not None:
        return 0
    waiting = deferred_count(tenant_id)
    if not waiting:
        return 0
    day = tenant_day(tenant, when)
    limit = tenant_plan(tenant).tickets_per_day
    db.session.execute(_insert(TicketQuota).values(tenant_id=tenant_id, day=day, used=0)
                       .on_conflict_do_nothing(index_elements=["tenant_id", "day"]))
    used = db.session.scalar(select(TicketQuota.used).where(
        TicketQuota.tenant_id == tenant_id, TicketQuota.day == day).with_for_update())
    grant = min(waiting, limit - used)
    if grant <= 0:
        return 0
    released = _bring_to_inbox(Ticket, tenant_id, grant)
    if not released:
        return 0
    db.session.execute(update(TicketQuota).where(
        TicketQuota.tenant_id == tenant_id, TicketQuota.day == day)
        .values(used=TicketQuota.used + released).execution_options(synchronize_session=False))
    record_event(actor, "billing.tickets_released", ("tenant", tenant_id),
                 {"count": released, "day": day.isoformat(), "waiting": waiting - released},
                 tenant_id=tenant_id)
    return released


def _bring_to_inbox(Ticket, tenant_id: int, limit: int) -> int:
    """Un-defer up to ``limit`` tickets, oldest first — through the ticket desk's own
    ``release_deferred`` (events, SLA clocks) when it offers one."""
    try:
        from app.tickets.service import release_deferred as desk_release
    except ImportError:
        desk_release = None
    if desk_release is not None:
        return len(desk_release(limit=limit))
    ids = list(db.session.scalars(
        select(Ticket.id).where(Ticket.tenant_id == tenant_id, Ticket.deferred,
                                Ticket.deleted_at.is_(None))
        .order_by(Ticket.created_at, Ticket.id).limit(limit).with_for_update(skip_locked=True)))
    if ids:
        db.session.execute(update(Ticket).where(Ticket.id.in_(ids)).values(deferred=False)
                           .execution_options(synchronize_session=False))
    return len(ids)


def usage(tenant: Tenant) -> dict:
    """What ``GET /api/v1/tenant`` shows as usage (staff is filled by the tenant API)."""
    return {"tickets_today": tickets_used(tenant), "tickets_deferred": deferred_count(tenant.id)}
