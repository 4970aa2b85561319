"""Benchmark: creating a ticket through the REST API — this app against django-helpdesk
(the Python peer) and a bare Flask floor, under the same load on the same PostgreSQL server.

    .venv/bin/python bench/api/create_ticket.py [--keep]

Three apps, each under gunicorn with 2 sync workers on its own port, in turn get
the same wrk load (POST bodies with a new requester e-mail each time):

- ours: ``POST /api/v1/tickets`` of this app (``gunicorn wsgi:app``) with the three production
  roles (owner for migrations, application role, BYPASSRLS platform role) created for the run,
  migrated with ``flask --app wsgi db upgrade``; a tenant signed up with ``POST /api/v1/signup``
  (bearer token), moved to the Pro plan, whose daily quota is raised in this database to
  BENCH_TICKETS_PER_DAY so that no ticket is deferred (the summary prints how many were);
- django-helpdesk: ``POST /api/tickets/`` of the django-helpdesk release from PyPI
  (BENCH_HELPDESK_VERSION), installed into its own virtualenv under bench/.work/ with the
  gunicorn and psycopg versions this app uses, in a Django project generated there at run
  time: PostgreSQL, persistent connections (CONN_MAX_AGE=None), DRF token authentication,
  a staff user, one queue, teams mode off, DEBUG off, the dummy e-mail backend (it still
  renders the submitter's acknowledgement in the request; this app leaves its letters to a job);
- floor: bench/api/floor_app.py, one INSERT … RETURNING on an autocommit connection.

Load: ``wrk -t 1 -c BENCH_CONNECTIONS -d BENCH_DURATION`` after a 2 s warm-up, BENCH_RUNS runs
with the apps interleaved (run 1 of each, then run 2, …); medians are printed. Before each
run the app's database is analyzed (untimed), as autovacuum keeps a database in steady use:
without it, plans made while the tables were nearly empty make each run slower than the last.
Figures:

- tickets/s: responses per second counted by wrk; p99: wrk's latency percentile; failed
  responses (wrk's status and socket errors) are printed and make the run suspect.
- CPU ms/ticket: utime+stime deltas from /proc/<pid>/stat of the gunicorn master and its
  workers ("app"), and of the PostgreSQL client backends serving that app's database, found
  in pg_stat_activity before and after the run ("PostgreSQL"); divided by the tickets the run
  added to the app's ticket table (counted with SQL, after in-flight requests have finished).
  PostgreSQL's shared background processes (WAL writer, checkpointer), Redis and wrk are
  not attributed; connections are persistent in all three apps, so no backend's CPU is lost.
- SQL statements, transactions and rows per ticket come from a separate, untimed pass of
  BENCH_COUNT sequential requests per app (after a 2 s wrk warm-up) with ``log_statement =
  'all'`` set on that app's database only (ALTER DATABASE, reset afterwards): the statements
  are the server log's ``statement:``/``execute`` lines for that database (the log is read
  from /var/log/postgresql/postgresql-<version>-main.log, or BENCH_PG_LOG), counted without
  BEGIN/COMMIT/ROLLBACK/SAVEPOINT/RELEASE and the empty statement SQLAlchemy's pool sends to
  check a connection, which are shown apart (pg_stat_statements would need a server restart
  for shared_preload_libraries, so it is not used). Transactions are the
  database's pg_stat_database xact_commit + xact_rollback delta, rows its tup_inserted delta,
  read after the servers have stopped so every backend has published its counters.

Settings (environment): BENCH_ADMIN_URL (default postgresql://postgres@127.0.0.1:5432/postgres),
BENCH_DATABASE (helpdesk_bench_api; the peers use <name>_django and <name>_floor),
BENCH_REDIS_URL (redis://127.0.0.1:6379/14, flushed at the end), BENCH_DURATION (10 s),
BENCH_CONNECTIONS (4), BENCH_RUNS (3), BENCH_COUNT (200), BENCH_PORT (8710: ours, +1
django-helpdesk, +2 floor), BENCH_HELPDESK_VERSION (2.6.1), BENCH_TICKETS_PER_DAY (1000000),
BENCH_PG_LOG. Roles helpdesk_bench_{owner,app,platform,peer} are created for the run; the
databases, roles and the Redis database are dropped at the end unless --keep. Needs wrk
(installed with apt-get when missing) and takes a few minutes.

The code is split by responsibility into the modules beside this script, imported from this
folder (which Python puts first on sys.path when the script is run): common.py (settings,
paths, ``Target``), apps.py (databases, roles, starting and stopping the gunicorn apps),
django_site.py (installing django-helpdesk and generating its project) and measure.py (wrk,
CPU from /proc, statement counting); this script holds the passes and the table.
"""
import argparse
import importlib.metadata
import os
import statistics
import time
from pathlib import Path

import psycopg
import redis
from apps import (
    create_databases,
    drop_databases,
    floor,
    ours,
    post_ticket,
    sign_up,
    start,
    stop,
)
from common import (
    CONNECTIONS,
    CONTROL,
    COUNT,
    DATABASE,
    DURATION,
    HELPDESK_VERSION,
    REDIS_URL,
    RUNS,
    TICKETS_PER_DAY,
    WORK,
    WORKERS,
    Target,
    admin,
)
from django_site import django_helpdesk
from measure import (
    count_rows,
    count_statements,
    cpu_ms,
    cpu_sample,
    database_stats,
    ensure_wrk,
    server_log,
    set_log_statement,
    wrk,
)

# --- the passes ----------------------------------------------------------------------------

def counting_pass(target: Target, monitor, log: Path | None, by_database: bool) -> None:
    """Untimed: statements, transactions and inserted rows per ticket over COUNT requests."""
    set_log_statement(target.database, True)
    try:
        start(target)
        if target.key == "ours":
            sign_up(target)
        post_ticket(target, "first", 0)
        wrk(target, 2, "count-warm-up")  # concurrent, so that every worker has connected
        time.sleep(11)  # an idle backend publishes its counters within 10 s
        before = database_stats(monitor, target.database)
        offset = log.stat().st_size if log else 0
        for n in range(COUNT):
            post_ticket(target, "count", n)
        stop(target, monitor)  # the backends exit and publish their counters
        after = database_stats(monitor, target.database)
    finally:
        stop(target, monitor)
        set_log_statement(target.database, False)
    statements = count_statements(log, offset, target.database, by_database) if log else {}
    target.counts = {
        "xacts": (after["xacts"] - before["xacts"]) / COUNT,
        "inserted": (after["inserted"] - before["inserted"]) / COUNT,
        "statements": ({k: v / COUNT for k, v in statements.items()} if statements else None),
    }


def timed_run(target: Target, monitor, rows_conn, tag: str) -> dict:
    # Statistics as autovacuum keeps them in a database in steady use: the tables grow by
    # thousands of rows a run, faster than autovacuum's minute-long nap notices, and a plan
    # made for yesterday's small table (a scan where an index lookup belongs) would cost more
    # with every ticket. Untimed; the same for all three apps.
    rows_conn.execute("ANALYZE")
    rows_before = count_rows(rows_conn, target.table)
    cpu_before = cpu_sample(monitor, target)
    result = wrk(target, DURATION, tag)
    time.sleep(1)  # let the requests wrk left in flight finish
    cpu_after = cpu_sample(monitor, target)
    tickets = count_rows(rows_conn, target.table) - rows_before
    app_ms, app_lost = cpu_ms(cpu_before["app"], cpu_after["app"])
    db_ms, db_lost = cpu_ms(cpu_before["db"], cpu_after["db"])
    failed = sum(result[k] for k in ("connect", "read", "write", "status", "timeout"))
    run = {"rps": result["requests"] / (result["duration_us"] / 1e6),
           "p50": result["p50_us"] / 1000, "p99": result["p99_us"] / 1000,
           "tickets": tickets, "failed": failed,
           "app_cpu": app_ms / max(tickets, 1), "db_cpu": db_ms / max(tickets, 1)}
    run["cpu"] = run["app_cpu"] + run["db_cpu"]
    note = f", {failed} failed" if failed else ""
    if app_lost or db_lost:
        note += f", {app_lost + db_lost} processes exited (their CPU is missing)"
    print(f"  {tag} {target.title:<16} {run['rps']:7.1f} tickets/s  p50 {run['p50']:6.1f} ms"
          f"  p99 {run['p99']:6.1f} ms  CPU {run['app_cpu']:5.1f} + {run['db_cpu']:4.1f} ms/ticket"
          f"  ({tickets} tickets{note})")
    target.runs.append(run)
    return run


def median(target: Target, key: str) -> float:
    return statistics.median(run[key] for run in target.runs)


def report(targets: list[Target]) -> None:
    def statements(t: Target) -> float | None:
        s = t.counts.get("statements")
        return None if s is None else sum(v for k, v in s.items() if k not in CONTROL)

    rows = [
        ("tickets/s (median)", lambda t: median(t, "rps"), "{:.1f}"),
        ("p99 latency, ms", lambda t: median(t, "p99"), "{:.1f}"),
        ("CPU ms/ticket: gunicorn", lambda t: median(t, "app_cpu"), "{:.2f}"),
        ("CPU ms/ticket: PostgreSQL", lambda t: median(t, "db_cpu"), "{:.2f}"),
        ("CPU ms/ticket: total", lambda t: median(t, "cpu"), "{:.2f}"),
        ("SQL statements/ticket", statements, "{:.1f}"),
        ("transactions/ticket", lambda t: t.counts["xacts"], "{:.1f}"),
        ("rows inserted/ticket", lambda t: t.counts["inserted"], "{:.1f}"),
    ]
    head = (f"{'':<27}{'ours':>10}{'django-helpdesk':>17}{'floor':>9}"
            f"{'ours/dj-helpdesk':>18}{'ours/floor':>12}")
    print()
    print(f"POST a ticket, gunicorn {WORKERS} sync workers each, wrk {CONNECTIONS} connections, "
          f"{DURATION} s x {RUNS} runs (medians); counts over {COUNT} requests")
    print(head)
    print("-" * len(head))
    for label, get, fmt in rows:
        values = [get(t) for t in targets]
        cells = [fmt.format(v) if v is not None else "n/a" for v in values]
        ratios = [f"{values[0] / v:.2f}" if values[0] is not None and v else "n/a"
                  for v in (values[1], values[2])]
        print(f"{label:<27}{cells[0]:>10}{cells[1]:>17}{cells[2]:>9}{ratios[0]:>18}"
              f"{ratios[1]:>12}")
    print()
    for t in targets:
        s = t.counts.get("statements")
        if s:
            parts = ", ".join(f"{k} {v:.1f}" for k, v in sorted(s.items(), key=lambda i: -i[1])
                              if k not in CONTROL)
            control = sum(v for k, v in s.items() if k in CONTROL)
            print(f"{t.title}: statements per ticket: {parts}; not counted above: "
                  f"BEGIN/COMMIT/SAVEPOINT/RELEASE and pool pings {control:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true",
                        help="keep the databases, roles and the Redis database")
    args = parser.parse_args()

    ensure_wrk()
    WORK.mkdir(parents=True, exist_ok=True)
    targets: list[Target] = []
    monitor = admin()
    rows_conns: list[psycopg.Connection] = []
    try:
        log = server_log(monitor)
        prefix = monitor.execute("SHOW log_line_prefix").fetchone()[0]
        by_database = "%d" in prefix
        if log is None or not os.access(log, os.R_OK):
            print("warning: the server log is not readable; statements are not counted")
            log = None
        version = monitor.execute("SHOW server_version").fetchone()[0]
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"PostgreSQL {version}, {os.cpu_count()} CPUs, load average {load}; "
              f"django-helpdesk {HELPDESK_VERSION}, gunicorn "
              f"{importlib.metadata.version('gunicorn')}")

        create_databases()
        targets = [ours(), django_helpdesk(), floor()]
        print(f"counting statements over {COUNT} requests per app …")
        for target in targets:
            counting_pass(target, monitor, log, by_database)

        for target in targets:
            start(target)
            wrk(target, 2, "warm-up")
            rows_conns.append(admin(target.database))
        print(f"timed runs: {RUNS} x {DURATION} s, {CONNECTIONS} connections")
        for number in range(1, RUNS + 1):
            for target, rows_conn in zip(targets, rows_conns, strict=True):
                timed_run(target, monitor, rows_conn, f"run{number}")
        total, deferred = rows_conns[0].execute(
            "SELECT count(*), count(*) FILTER (WHERE deferred) FROM tickets").fetchone()
        report(targets)
        print(f"ours: {total} tickets created on the Pro plan (daily quota raised to "
              f"{TICKETS_PER_DAY} for the run), {deferred} deferred; "
              f"load average now {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        for target in targets:
            stop(target)
        for conn in rows_conns:
            conn.close()
        monitor.close()
        if args.keep:
            print(f"kept databases {DATABASE}, {DATABASE}_django, {DATABASE}_floor")
        else:
            drop_databases()
            redis.Redis.from_url(REDIS_URL).flushdb()


if __name__ == "__main__":
    main()
