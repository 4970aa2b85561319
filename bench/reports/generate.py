"""Generate the reports benchmark's data: 1,000,000 tickets in one tenant over the last year.

Reuses bench/tickets/generate.py (database creation and migration, tenants, departments and
agents, index handling) with its own database (default ``helpdesk_bench_reports``) and its
own tickets: one year instead of three, a weekday pattern (quiet weekends), first responses
and resolutions minutes to days after creation, SLA outcomes. Each answered ticket gets the
staff reply that answered it (by its assignee, or any agent) and a quarter of them an
internal note: the staff statistics count them. Customer messages and search documents are
left out: the reports never read them. Then the tenant's rollups are built in process, as
the first refresh job would, and the time it took is printed.

    .venv/bin/python bench/reports/generate.py [--tickets 1000000] [--days 365]

Settings: the BENCH_* variables of bench/tickets/common.py. Then run bench/reports/measure.py.
"""
import argparse
import json
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("BENCH_DATABASE", "helpdesk_bench_reports")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tickets"))

import psycopg  # noqa: E402
from common import BIG_SLUG, LOAD_URL, make_app  # noqa: E402
from generate import (  # noqa: E402
    CHANNELS,
    MESSAGE_COLUMNS,
    PRIORITIES,
    STATUSES_ACTIVE,
    TICKET_COLUMNS,
    TYPES,
    create_database,
    secondary_indexes,
    setup_tenants,
)

WEEKDAY_WEIGHTS = [1.2, 1.15, 1.1, 1.05, 1.0, 0.35, 0.25]  # Monday … Sunday
BATCH = 20_000


def moments(count: int, days: int, rng: random.Random) -> list[datetime]:
    """``count`` creation moments over the last ``days`` days, busier on weekdays."""
    end = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    start = end - timedelta(days=days)
    out = []
    while len(out) < count:
        moment = start + timedelta(seconds=rng.uniform(0, days * 86400))
        if rng.random() < WEEKDAY_WEIGHTS[moment.weekday()] / 1.2:
            out.append(moment)
    return sorted(out)


def staff_messages(tenant: dict, ticket_id: int, assignee, answered: datetime,
                   rng: random.Random) -> list[str]:
    """The reply that answered a ticket, and now and then an internal note after it."""
    author = assignee or rng.choice(tenant["agents"])
    out = []
    for internal, at in ((False, answered), (True, answered + timedelta(hours=1))):
        if internal and rng.random() >= 0.25:
            break
        tenant["messages"] += 1
        out.append("\t".join(str(v) for v in (
            tenant["messages"], tenant["id"], ticket_id, "staff", "\\N", f"Staff {author}",
            "<p>Reply</p>", "Reply", "t" if internal else "f", 1, at.isoformat(),
            author)) + "\n")
    return out


def rows(tenant: dict, created: list[datetime], rng: random.Random):
    """(ticket COPY line, staff message COPY lines) per ticket."""
    null = "\\N"
    newest = created[-1]
    for number, moment in enumerate(created, 1):
        age_days = (newest - moment).total_seconds() / 86400
        answered = moment + timedelta(minutes=rng.expovariate(1 / 150)) \
            if rng.random() < 0.97 else None
        if age_days < 10 and rng.random() < 0.5:
            status, resolved, closed = rng.choice(STATUSES_ACTIVE), None, None
        else:
            resolved = (answered or moment) + timedelta(hours=rng.expovariate(1 / 30))
            status = "closed" if age_days > 30 else "resolved"
            closed = resolved + timedelta(days=3) if status == "closed" else None
        breached = rng.random() < 0.12
        due = moment + timedelta(hours=8)
        ts = moment.isoformat()

        def iso(value):
            return value.isoformat() if value else null

        assignee = rng.choice(tenant["agents"] + [None])
        yield "\t".join(str(v) for v in (
            number, tenant["id"], number, f"Ticket {number}", rng.choice(tenant["customers"]),
            null, rng.choice(tenant["departments"]), assignee or null,
            rng.choice(TYPES) or null,
            rng.choice(PRIORITIES), status, rng.choice(CHANNELS), json.dumps([]), "{}", ts, ts,
            ts, iso(answered), iso(resolved), iso(closed), null, null, "f", null, 1, 1,
            due.isoformat(), due.isoformat(), null, 0, "t" if breached else "f", null)) + "\n", \
            staff_messages(tenant, number, assignee, answered, rng) if answered else []


def copy_lines(conn, lines) -> None:
    """COPY the tickets, keeping their staff messages in a scratch file meanwhile (one COPY
    at a time on a connection), then COPY the messages."""
    with tempfile.TemporaryFile("w+") as spool:
        with conn.cursor() as cur, \
                cur.copy(f"COPY tickets ({TICKET_COLUMNS}) FROM STDIN") as copy:
            batch = []
            for ticket_line, message_lines in lines:
                batch.append(ticket_line)
                spool.writelines(message_lines)
                if len(batch) == BATCH:
                    copy.write("".join(batch))
                    batch.clear()
            copy.write("".join(batch))
        spool.seek(0)
        with conn.cursor() as cur, \
                cur.copy(f"COPY messages ({MESSAGE_COLUMNS}, staff_id) FROM STDIN") as copy:
            while chunk := spool.read(1 << 20):
                copy.write(chunk)


def build_rollups() -> None:
    from app.extensions import db
    from app.reports import rollup
    from tenants.context import tenant_scope
    from tenants.resolve import tenant_id_by_slug

    app = make_app()
    began = time.perf_counter()
    with app.app_context(), tenant_scope(tenant_id_by_slug(BIG_SLUG)):
        days = rollup.rebuild()
        db.session.commit()
    print(f"rollups of {days} days built in {time.perf_counter() - began:.0f} s", flush=True)
    with psycopg.connect(LOAD_URL, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE report_rollups")  # as autovacuum soon would


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=365)
    args = parser.parse_args()
    began = time.perf_counter()
    create_database()
    rng = random.Random(2026)
    with psycopg.connect(LOAD_URL) as conn:
        conn.execute("SET session_replication_role = replica")
        (tenant,) = setup_tenants(conn, [(BIG_SLUG, args.tickets)])
        tenant["messages"] = 0
        dropped = secondary_indexes(conn, "tickets") + secondary_indexes(conn, "messages")
        for name, _ in dropped:
            conn.execute(f'DROP INDEX "{name}"')
        created = moments(args.tickets, args.days, rng)
        copy_lines(conn, rows(tenant, created, rng))
        for _name, definition in dropped:
            conn.execute(definition)
        for table in ("tickets", "messages"):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                         f"(SELECT max(id) FROM {table}))")
        conn.execute("INSERT INTO ticket_counters (tenant_id, last_number) VALUES (%s, %s)",
                     (tenant["id"], args.tickets))
        conn.commit()
    with psycopg.connect(LOAD_URL, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE tickets")
        conn.execute("VACUUM ANALYZE messages")
    print(f"{args.tickets:,} tickets and {tenant['messages']:,} staff messages over "
          f"{args.days} days loaded in {time.perf_counter() - began:.0f} s", flush=True)
    build_rollups()


if __name__ == "__main__":
    main()
