"""The daily charge: one set-based pass over every tenant, idempotent per tenant and day.

1. due downgrades take effect;
2. every tenant's itemized charge goes into the ledger with one ``INSERT … SELECT``; the
   unique (tenant, kind, charge_date) constraint turns a second run into a no-op;
3. the balances move by exactly the entries this run wrote (one ``UPDATE``);
4. tenants that could not pay the day are suspended (one ``UPDATE``).
A tenant the operator holds (``operator_hold``) is neither charged nor resumed.
On PostgreSQL 2–4 are a single statement (data-modifying CTEs) after locking the tenant
rows; everything is one transaction, so the balance is always the ledger's sum.
"""
import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from sqlalchemy import insert, select, text

from app import unit_of_work
from app.db_types import utcnow
from app.events.models import Event
from app.events.service import record_event
from app.extensions import db
from app.settings_cache import settings_changed
from billing.letters import queue_letter
from billing.limits import release_deferred
from billing.models import PlanSchedule
from tenants import context
from tenants.models import Tenant

log = logging.getLogger(__name__)

WARN_DAYS = 3  # the admin is written to when the balance lasts this many more days

_JSON = {
    "postgresql": {"obj": "jsonb_build_object", "agg": "jsonb_agg", "empty": "'[]'::jsonb"},
    "sqlite": {"obj": "json_object", "agg": "json_group_array", "empty": "json('[]')"},
}

_LOCK = """SELECT count(*) FROM (SELECT id FROM tenants WHERE created_at < :day_start
           ORDER BY id FOR UPDATE) AS locked"""

_COSTS = """
    SELECT t.id, t.balance, t.currency, t.suspended_at AS was_suspended,
           p.name AS plan, p.daily_price AS plan_price,
           p.daily_price + CASE WHEN p.all_addons THEN 0
                                ELSE CAST(COALESCE(ad.total, 0) AS BIGINT) END AS cost,
           CASE WHEN p.all_addons OR ad.items IS NULL THEN {empty} ELSE ad.items END
               AS addon_items
    FROM tenants t
    JOIN plans p ON p.name = t.plan
    LEFT JOIN (
        SELECT ta.tenant_id, SUM(a.daily_price) AS total,
               {agg}({obj}('addon', a.name, 'price', a.daily_price)) AS items
        FROM tenant_addons ta JOIN addons a ON a.name = ta.addon
        GROUP BY ta.tenant_id
    ) ad ON ad.tenant_id = t.id
    WHERE t.created_at < :day_start AND NOT t.operator_hold
"""

_INSERT = """
INSERT INTO ledger_entries (tenant_id, at, kind, amount, balance_after, currency, reference,
                            details, charge_date)
SELECT c.id, :now, 'daily_charge', -c.cost, c.balance - c.cost, c.currency, :reference,
       {obj}('plan', c.plan, 'plan_price', c.plan_price, 'addons', c.addon_items,
             'day', CAST(:day_text AS TEXT)),
       :day
FROM costs c
WHERE c.balance >= c.cost
ON CONFLICT (tenant_id, kind, charge_date) DO NOTHING
"""

_CHARGE = "WITH costs AS (" + _COSTS + ")" + _INSERT

# PostgreSQL: the whole pass in one statement. The sub-statements share one snapshot,
# so ``costs`` (with each tenant's old state) feeds the ledger insert, the balance update
# of exactly the rows inserted, and the suspension of those that could not pay; the
# fresh ledger rows are never looked up again, which keeps the plan linear.
_PASS = "WITH costs AS (" + _COSTS + "), charged AS (" + _INSERT + """
    RETURNING tenant_id, amount
), applied AS (
    UPDATE tenants t SET balance = t.balance + ch.amount, suspended_at = NULL
    FROM charged ch
    WHERE t.id = ch.tenant_id
    RETURNING t.id, t.balance AS balance_after, -ch.amount AS cost
), suspended AS (
    UPDATE tenants t SET suspended_at = :now
    FROM costs c
    WHERE t.id = c.id AND c.balance < c.cost AND c.was_suspended IS NULL
      AND NOT EXISTS (SELECT 1 FROM ledger_entries le WHERE le.tenant_id = c.id
                      AND le.kind = 'daily_charge' AND le.charge_date = :day)
    RETURNING t.id
)
SELECT 'charged' AS what, NULL AS id, (SELECT count(*) FROM applied) AS n
UNION ALL SELECT 'running_low', id, NULL FROM applied
    WHERE cost > 0 AND balance_after / cost = :warn_days
UNION ALL SELECT 'suspended', id, NULL FROM suspended
"""

_WAS_SUSPENDED = """SELECT id FROM tenants WHERE suspended_at IS NOT NULL
                    AND created_at < :day_start"""

_THIS_RUN = "le.kind = 'daily_charge' AND le.charge_date = :day AND le.at = :now"

_RESUMING = f"""SELECT le.tenant_id FROM ledger_entries le JOIN tenants t ON t.id = le.tenant_id
                WHERE {_THIS_RUN} AND t.suspended_at IS NOT NULL"""

_APPLY = f"""
UPDATE tenants SET balance = tenants.balance + le.amount, suspended_at = NULL
FROM ledger_entries le
WHERE le.tenant_id = tenants.id AND {_THIS_RUN}
"""

_SUSPEND = """
UPDATE tenants SET suspended_at = :now
WHERE suspended_at IS NULL AND created_at < :day_start
  AND NOT EXISTS (SELECT 1 FROM ledger_entries le WHERE le.tenant_id = tenants.id
                  AND le.kind = 'daily_charge' AND le.charge_date = :day)
RETURNING id
"""

_RUNNING_LOW = f"""SELECT le.tenant_id FROM ledger_entries le
                   WHERE {_THIS_RUN} AND le.amount < 0
                     AND le.balance_after / (-le.amount) = :warn_days"""


@dataclass
class ChargeResult:
    day: date
    charged: int = 0
    suspended: list[int] = field(default_factory=list)
    resumed: list[int] = field(default_factory=list)
    running_low: list[int] = field(default_factory=list)
    downgraded: list[int] = field(default_factory=list)


def _log_events(now: datetime, action: str, tenant_ids: list[int], data: dict) -> None:
    """One event per tenant, written in one batch (thousands may be suspended at once)."""
    if tenant_ids:
        db.session.execute(insert(Event), [
            {"tenant_id": tenant_id, "at": now, "actor_type": "system", "actor_id": None,
             "actor_name": "", "action": action, "object_type": "tenant",
             "object_id": str(tenant_id), "data": data, "ip": None}
            for tenant_id in tenant_ids])


def _apply_downgrades(day: date, now: datetime) -> list[int]:
    due = list(db.session.scalars(select(PlanSchedule).where(PlanSchedule.effective_on <= day)))
    for schedule in due:
        tenant = db.session.get(Tenant, schedule.tenant_id)
        before = tenant.plan
        tenant.plan = schedule.plan
        db.session.delete(schedule)
        settings_changed(tenant_id=tenant.id)
        record_event(None, "billing.plan_changed", ("tenant", tenant.id),
                     {"from": before, "to": schedule.plan, "scheduled": True,
                      "day": day.isoformat()}, tenant_id=tenant.id)
    db.session.flush()
    return [s.tenant_id for s in due]


def _statement_by_statement(result: ChargeResult, sql: dict, params: dict) -> None:
    """The same pass for SQLite (the zero-setup default), which lacks data-modifying CTEs."""
    inserted = db.session.execute(text(_CHARGE.format(**sql)), params)
    result.charged = max(inserted.rowcount or 0, 0)
    result.resumed = list(db.session.scalars(text(_RESUMING), params))
    db.session.execute(text(_APPLY), params)
    result.suspended = list(db.session.scalars(text(_SUSPEND), params))
    result.running_low = list(db.session.scalars(text(_RUNNING_LOW), params))


@context.platform_work
def charge_day(day: date | None = None, *, now: datetime | None = None) -> ChargeResult:
    """Charge every tenant for ``day`` (default: today, UTC). Running it again for the
    same day charges nobody twice. Flushes; the caller commits."""
    day = day or utcnow().date()
    now = now or utcnow()
    bind = db.session.get_bind()
    sql = _JSON.get(bind.dialect.name, _JSON["postgresql"])
    params = {"day": day, "day_text": day.isoformat(), "now": now,
              "day_start": datetime.combine(day, time.min, tzinfo=UTC),
              "reference": f"day {day.isoformat()}", "warn_days": WARN_DAYS}
    result = ChargeResult(day=day)
    with context.platform_scope():  # PLATFORM-WIDE: the daily charge covers every tenant
        result.downgraded = _apply_downgrades(day, now)
        if bind.dialect.name == "postgresql":
            db.session.execute(text(_LOCK), params)  # exact balance_after under top-ups
            was_suspended = list(db.session.scalars(text(_WAS_SUSPENDED), params))
            for what, tenant_id, n in db.session.execute(text(_PASS.format(**sql)), params):
                if what == "charged":
                    result.charged = n
                else:
                    getattr(result, what).append(tenant_id)
            if was_suspended:  # the few suspended tenants whose balance now paid the day
                result.resumed = list(db.session.scalars(
                    select(Tenant.id).where(Tenant.id.in_(was_suspended),
                                            Tenant.suspended_at.is_(None))))
        else:
            _statement_by_statement(result, sql, params)
        db.session.expire_all()  # balances changed behind the ORM's back
        _log_events(now, "billing.suspended", result.suspended,
                    {"day": day.isoformat(), "reason": "insufficient_balance"})
        _log_events(now, "billing.resumed", result.resumed, {"day": day.isoformat()})
    log.info("charge-day %s: %d charged, %d suspended, %d resumed", day, result.charged,
             len(result.suspended), len(result.resumed))
    return result


def after_charge(result: ChargeResult) -> None:
    """Follow-ups of a charge: letters (they leave once the charge is committed), and
    releasing what waited for tenants that were resumed."""
    for tenant_id in result.suspended:
        queue_letter(tenant_id, "suspended")
    for tenant_id in result.running_low:
        queue_letter(tenant_id, "running_low")
    unit_of_work.commit()
    unit_of_work.for_each_tenant(result.resumed, release_deferred)


@context.platform_work
def run_charge_day(day: date | None = None) -> ChargeResult:
    """Charge, commit, then follow up (what the CLI command and the cron job run, on the
    platform connection)."""
    result = charge_day(day)
    after_charge(result)
    return result
