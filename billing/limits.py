"""Plan limits: the staff limit and the daily ticket quota, both enforced in the database.

The quota counts tickets per tenant per day in the tenant's time zone. A ticket over
the quota is still stored, marked deferred; deferred tickets are released oldest
first as a later day's quota (or a bigger plan) allows.
"""
from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.db_types import utcnow
from app.errors import PlanLimit
from app.events.service import record_event
from app.extensions import db
from app.settings_cache import cached
from billing.catalog import label, list_plans, tenant_plan
from billing.models import TicketQuota
from billing.signals import count_active_staff, count_deferred, release_waiting
from tenants import context
from tenants.models import Tenant
from tenants.resolve import tenant_row


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
    """The plan's staff limit, connected by the staff area to its ``staff_adding``: refuse a
    staff member over it.

    The tenant row is locked before counting, so parallel invitations queue up and
    can never exceed the limit together.
    """
    tenant_id = tenant_id or context.current_tenant_id()
    tenant = _lock_tenant(tenant_id)
    plan = tenant_plan(tenant)
    count = count_active_staff(tenant_id)
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
    connection = db.session.connection()  # a Core statement: no flush, no ORM on the way
    return connection.execute(_claim(connection.dialect.name), {
        "tenant_id": tenant_id, "day": tenant_day(tenant, when), "limit": limit,
    }).scalar() is not None


@cache
def _claim(dialect: str):
    """The claim statement for ``dialect``, built once (its SQL is then cached)."""
    quotas = TicketQuota.__table__
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (insert(quotas)
            .values(tenant_id=bindparam("tenant_id"), day=bindparam("day"), used=1)
            .on_conflict_do_update(index_elements=["tenant_id", "day"],
                                   set_={"used": quotas.c.used + 1},
                                   where=quotas.c.used < bindparam("limit"))
            .returning(quotas.c.used))


_AHEAD = "ticket_slots_ahead"  # session.info: the slots the open transaction claimed ahead


@cache
def _claim_many(dialect: str):
    """Take ``count`` slots at once if the day has that many left (else no row back)."""
    quotas = TicketQuota.__table__
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    count = bindparam("count")
    return (insert(quotas)
            .values(tenant_id=bindparam("tenant_id"), day=bindparam("day"), used=count)
            .on_conflict_do_update(index_elements=["tenant_id", "day"],
                                   set_={"used": quotas.c.used + count},
                                   where=quotas.c.used + count <= bindparam("limit"))
            .returning(quotas.c.used))


def claim_slots_ahead(tenant_id: int, count: int) -> None:
    """Claim ``count`` of the day's slots in one statement for the tickets the open
    transaction is about to register (a batch of imported mail), instead of one statement
    a ticket: ``admit_ticket`` hands them out, ``return_unused_slots`` gives back the rest
    before the commit. The quota row stays locked until then, so nobody else sees the
    slots held. When the day has fewer left, nothing is claimed ahead and each ticket
    claims its own, first come first served as always."""
    tenant = tenant_row(tenant_id)
    if count <= 0 or tenant is None or tenant.suspended_at is not None:
        return
    limit = daily_ticket_limit(tenant)
    if limit < count:
        return
    day = tenant_day(tenant, utcnow())
    connection = db.session.connection()
    claimed = connection.execute(_claim_many(connection.dialect.name), {
        "tenant_id": tenant_id, "day": day, "count": count, "limit": limit}).scalar()
    if claimed is not None:
        session = db.session()
        session.info[_AHEAD] = {"transaction": session.get_transaction(),
                                "tenant_id": tenant_id, "day": day, "left": count}


def _ahead(tenant_id: int | None = None) -> dict | None:
    """The open transaction's slots claimed ahead (for ``tenant_id``), if any."""
    session = db.session()
    ahead = session.info.get(_AHEAD)
    if ahead is None or ahead["transaction"] is not session.get_transaction() or \
            tenant_id is not None and ahead["tenant_id"] != tenant_id:
        return None
    return ahead


def return_unused_slots() -> None:
    """Give back the slots claimed ahead that no ticket took (before the commit)."""
    ahead = _ahead()
    db.session.info.pop(_AHEAD, None)
    if ahead is None or not ahead["left"]:
        return
    quotas = TicketQuota.__table__
    db.session.connection().execute(
        update(quotas).where(quotas.c.tenant_id == ahead["tenant_id"],
                             quotas.c.day == ahead["day"])
        .values(used=quotas.c.used - ahead["left"]))


def admit_ticket(_app, *, tenant_id: int) -> bool:
    """The daily quota, connected by the ticket desk to its ``ticket_admitting``: may a new
    ticket go live now? (A slot claimed ahead, or one claimed now.)

    A suspended tenant's tickets are stored but deferred, without using the quota.
    """
    tenant = tenant_row(tenant_id)
    if tenant is None or tenant.suspended_at is not None:
        return False
    ahead = _ahead(tenant_id)
    if ahead is not None and ahead["left"] > 0:
        ahead["left"] -= 1
        return True
    return claim_ticket_slot(tenant_id, utcnow())


def tickets_used(tenant: Tenant, when: datetime | None = None) -> int:
    return db.session.scalar(select(TicketQuota.used).where(
        TicketQuota.tenant_id == tenant.id, TicketQuota.day == tenant_day(tenant, when))) or 0


def deferred_count(tenant_id: int) -> int:
    """How many of the tenant's tickets wait for quota (the ticket desk answers)."""
    return count_deferred(tenant_id)


def release_deferred(tenant_id: int, when: datetime | None = None, *, actor=None) -> int:
    """Release deferred tickets, oldest first, as far as today's quota allows.

    The day's quota row is locked while the slots are handed out, so a release and
    live ticket creations never together exceed the quota. Returns how many went live.
    """
    tenant = db.session.get(Tenant, tenant_id)
    if tenant is None or tenant.suspended_at is not None:
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
    released = release_waiting(tenant_id, grant)  # the desk's own release: events, SLA
    if not released:
        return 0
    db.session.execute(update(TicketQuota).where(
        TicketQuota.tenant_id == tenant_id, TicketQuota.day == day)
        .values(used=TicketQuota.used + released).execution_options(synchronize_session=False))
    record_event(actor, "billing.tickets_released", ("tenant", tenant_id),
                 {"count": released, "day": day.isoformat(), "waiting": waiting - released},
                 tenant_id=tenant_id)
    return released


def usage(tenant: Tenant) -> dict:
    """What ``GET /api/v1/tenant`` shows as usage (staff is filled by the tenant API)."""
    return {"tickets_today": tickets_used(tenant), "tickets_deferred": deferred_count(tenant.id)}
