"""Keeping the rollups current: marks in Redis, and the periodic jobs that act on them.

A ticket's change marks the days it counts on (created, first response, resolved — before
and after the change — and today) once the change commits; ``refresh_marked_job`` refreshes
the marked days of each marked tenant every minute. Today is refreshed for every built
tenant every quarter hour (a rating announces nothing), and every night the last
``NIGHTLY_DAYS`` days are rebuilt (a reassignment or a trashed ticket changes no day of
its own). All steps are idempotent: a mark that is lost or seen twice costs nothing but time.
"""
from datetime import date, timedelta

from sqlalchemy import inspect, select

from app import unit_of_work
from app.extensions import db
from app.jobs import after_commit_redis, platform_job, redis_connection
from app.reports import rollup
from app.reports.models import RollupState
from app.reports.timeline import local_day
from tenants import context

MARKED = "reports:marked"  # set of tenant ids
NIGHTLY_DAYS = 35
_MARKS = "reports_marks"  # session.info: (transaction, {tenant id: days}) marked after it


def _days_key(tenant_id: int) -> str:
    return f"reports:marked:{tenant_id}"


def mark_into(pipe, tenant_id: int, days) -> None:
    """The commands that mark ``days`` of ``tenant_id``, added to a Redis pipeline."""
    days = sorted({d.isoformat() for d in days})
    if days:
        pipe.sadd(_days_key(tenant_id), *days)
    pipe.sadd(MARKED, tenant_id)


def ticket_days(ticket) -> set[date]:
    """The local days a ticket's figures count on, including the resolution day a
    reopening just cleared (the attribute's history still holds it before the flush)."""
    zone = rollup.tenant_zone()
    moments = [ticket.created_at, ticket.first_response_at, ticket.resolved_at]
    state = inspect(ticket)
    for name in ("resolved_at", "first_response_at"):
        moments.extend(state.attrs[name].history.deleted or ())
    return {local_day(m, zone) for m in moments if m is not None}


def on_ticket_changed(_app, *, ticket, reason: str) -> None:
    """Receiver of ``ticket_changed``: mark the ticket's days once the change commits. The
    marks of one transaction are merged (a batch of imported mail marks today once, not
    once a ticket) and go with the jobs' one round trip."""
    tenant_id = context.current_tenant_id()
    if tenant_id is None:
        return
    days = ticket_days(ticket)
    session = db.session()
    held = session.info.get(_MARKS)
    transaction = session.get_transaction()
    if held is None or transaction is None or held[0] is not transaction:
        marks: dict[int, set] = {}
        after_commit_redis(lambda pipe: [mark_into(pipe, tenant, marked)
                                         for tenant, marked in marks.items()])
        session.info[_MARKS] = held = (session.get_transaction(), marks)
    held[1].setdefault(tenant_id, set()).update(days)


def _parse_days(raw) -> list[date]:
    out = []
    for value in raw:
        try:
            out.append(date.fromisoformat(value.decode() if isinstance(value, bytes) else value))
        except ValueError:
            continue
    return out


def _refresh_marked(tenant_id: int) -> int:
    redis = redis_connection()
    raw = list(redis.smembers(_days_key(tenant_id)))
    refreshed = rollup.refresh(_parse_days(raw))

    def clear():
        if raw:
            redis.srem(_days_key(tenant_id), *raw)
        redis.srem(MARKED, tenant_id)
        if redis.scard(_days_key(tenant_id)):  # marked again meanwhile: keep the tenant
            redis.sadd(MARKED, tenant_id)

    unit_of_work.after_commit(clear)
    return refreshed


@platform_job
def refresh_marked_job() -> int:
    """Refresh the marked days of every marked tenant (one commit each)."""
    tenant_ids = sorted(int(t) for t in redis_connection().smembers(MARKED))
    return sum(unit_of_work.for_each_tenant(tenant_ids, _refresh_marked))


def _built_tenants() -> list[int]:
    with context.platform_scope():  # PLATFORM-WIDE: the tenants whose rollups exist
        return list(db.session.scalars(select(RollupState.tenant_id)))


@platform_job
def refresh_today_job() -> int:
    """Today's rollups of every built tenant (ratings and reopenings of old tickets)."""
    return sum(unit_of_work.for_each_tenant(_built_tenants(), lambda _t: rollup.refresh()))


def _nightly(_tenant_id: int) -> int:
    end = rollup.today()
    return rollup.refresh(end - timedelta(days=n) for n in range(NIGHTLY_DAYS))


@platform_job
def rebuild_recent_job() -> int:
    """The last ``NIGHTLY_DAYS`` days of every built tenant, rebuilt."""
    return sum(unit_of_work.for_each_tenant(_built_tenants(), _nightly))
