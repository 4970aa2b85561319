"""Benchmark: the daily charge over 100,000 tenants on PostgreSQL (target: under 5 s).

Creates a separate database (as the ``postgres`` superuser), migrates it, fills it with
tenants set-based, then times ``charge_day`` — the INSERT … SELECT into the ledger, the
UPDATE of balances and the suspension pass — committed. Runs it a second time to show
the idempotent re-run, and checks that every balance still equals its ledger's sum.

    .venv/bin/python bench/billing/charge_day.py [--tenants 100000]

Settings (environment): BENCH_ADMIN_URL (default postgresql://postgres@127.0.0.1:5432/postgres),
BENCH_DATABASE (helpdesk_bench_billing), BENCH_OWNER (helpdesk), BENCH_REDIS_URL
(redis://127.0.0.1:6379/4).
"""
import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
DATABASE = os.environ.get("BENCH_DATABASE", "helpdesk_bench_billing")
OWNER = os.environ.get("BENCH_OWNER", "helpdesk")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/4")


def create_database() -> str:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DATABASE}" OWNER "{OWNER}"')
    host = ADMIN_URL.split("@", 1)[1].rsplit("/", 1)[0]
    return f"postgresql+psycopg://{OWNER}@{host}/{DATABASE}"


FILL = [
    # Every tenth on Pro; every fiftieth too poor to pay the day (it gets suspended).
    """INSERT INTO tenants (slug, name, plan, language, timezone, currency, balance, widget_key,
                            created_at)
       SELECT 'bench-' || g, 'Bench ' || g,
              CASE WHEN g % 10 = 0 THEN 'pro' ELSE 'standard' END, 'en', 'UTC', 'RUB',
              CASE WHEN g % 50 = 0 THEN 300 ELSE 20000 END, 'wk-' || g,
              now() - interval '3 days'
       FROM generate_series(1, :n) AS g""",
    """INSERT INTO ledger_entries (tenant_id, at, kind, amount, balance_after, currency,
                                   reference, details)
       SELECT id, created_at, 'trial_credit', balance, balance, currency, 'signup', '{}'
       FROM tenants""",
    # Every seventh Standard tenant bought an add-on or two (itemized in the charge).
    """INSERT INTO tenant_addons (tenant_id, addon, started_at)
       SELECT id, 'gmail', created_at FROM tenants WHERE plan = 'standard' AND id % 7 = 0""",
    """INSERT INTO tenant_addons (tenant_id, addon, started_at)
       SELECT id, 'reports', created_at FROM tenants WHERE plan = 'standard' AND id % 14 = 0""",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenants", type=int, default=100_000)
    args = parser.parse_args()

    url = create_database()
    os.environ.update(DATABASE_URL=url, SECRET_KEY="bench", REDIS_URL=REDIS_URL)
    from flask_migrate import upgrade
    from sqlalchemy import text

    from app import create_app
    from app.db_types import utcnow
    from app.extensions import db
    from billing.charging import charge_day
    from billing.ledger import check_invariant
    from tenants import context

    app = create_app()
    with app.app_context():
        upgrade(revision="heads")
        started = time.perf_counter()
        with context.platform_scope():
            for statement in FILL:
                db.session.execute(text(statement), {"n": args.tenants})
            db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
        print(f"filled {args.tenants} tenants in {time.perf_counter() - started:.1f} s")

        day = utcnow().date() + timedelta(days=1)
        started = time.perf_counter()
        result = charge_day(day)
        db.session.commit()
        seconds = time.perf_counter() - started
        print(f"charge-day {day}: {seconds:.2f} s for {args.tenants} tenants "
              f"({args.tenants / seconds:,.0f} tenants/s); charged {result.charged}, "
              f"suspended {len(result.suspended)}")

        started = time.perf_counter()
        again = charge_day(day)
        db.session.commit()
        print(f"second run, same day: {time.perf_counter() - started:.2f} s, "
              f"charged {again.charged} (idempotent)")
        with context.platform_scope():
            bad = check_invariant()
        print(f"balance == ledger sum for every tenant: {'yes' if not bad else bad[:5]}")
        db.session.remove()
        db.engine.dispose()


if __name__ == "__main__":
    main()
