"""Benchmark: requests sent through the website widget (``POST /widget/<key>/tickets``) across
1,000 tenants, beside the bare Flask floor, in the same run on the same PostgreSQL server.

    .venv/bin/python bench/widget/intake.py [--keep] [--intake-only]

- ours: this app under gunicorn (2 sync workers) with the three production roles, migrated
  with ``flask --app wsgi db upgrade heads``; BENCH_TENANTS tenants (1,000) signed up by the
  app's signup service (seed_tenants.py: the rows an API signup writes, with cheap Argon2
  hashing so that it takes seconds), each allowing the origin https://shop.example in its widget
  settings and moved to the Pro plan with the daily quota raised to BENCH_TICKETS_PER_DAY
  (so no request is deferred; the summary says how many were). The widget's rate limits are
  lifted for the run (every request comes from one address). wrk posts what the widget
  sends without files (``Origin``, a urlencoded form: name, e-mail, subject, message, the
  empty honeypot; ``?language=``), each request to the next tenant's key in turn, each from a
  new customer address: in the request, the tenant by key, the origin
  check, the rate limits (Redis), the form's checks, the stop lists, the quota and the
  stored request with its number, as a visitor gets it; the rest (routing, SLA, ticket, message,
  search index, event, portal link, receipt letter) in the job below.
- floor: bench/api/floor_app.py (one INSERT … RETURNING per request), same gunicorn settings.
- no-op (the ceiling): this app with one more route that answers at once
  (``POST /widget/<key>/noop``, bench/widget/noop_app.py), same gunicorn settings and
  environment: what the app's own per-request work (hooks, locale, limiter, headers, logs)
  leaves of the floor's throughput before the intake does anything.

Such a request is served below Flask's request machinery (app/widget/direct.py), stored with
its number (one statement, app/widget/lean.py) and made a ticket by a job right after the
commit (app/widget/registration.py); no worker
runs during the timed runs, so the stored requests wait (a timed run counts a request as
made once it is stored: ``widget_requests`` plus ``tickets``). After the runs, one worker
process (``flask worker --burst``) makes their tickets and the summary prints how many it
made per second (the worker's side of the cost); then a run with a worker beside the server,
and requests at a steady rate timed from their answer to their ticket in the inbox (the
drain's lag): see drain.py.

Before the timed runs, one request goes to every tenant (the first pass: each tenant's
settings are read from the database then, and shared through Redis with every worker after
it, as on a server that has been up for a while); its rate is printed on its own.

Figures: requests/s (wrk), p50 and p99 latency, CPU ms per request (gunicorn and the
PostgreSQL backends, from /proc), and from an untimed pass of BENCH_COUNT sequential requests
with ``log_statement = 'all'``: SQL statements (by kind), transactions and inserted rows per
request; the ratios ours/floor; and the size of static/widget.js gzipped. Settings as in
bench/api/create_ticket.py (BENCH_DURATION, BENCH_CONNECTIONS, BENCH_RUNS, BENCH_COUNT,
BENCH_ADMIN_URL, BENCH_TICKETS_PER_DAY) with their own defaults for BENCH_DATABASE
(helpdesk_bench_widget), BENCH_PORT (8720), BENCH_REDIS_URL (redis://127.0.0.1:6379/13), and
BENCH_TENANTS (1000). The servers, databases, roles, wrk and /proc helpers are bench/api's.
"""
import argparse
import gzip
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TENANTS = int(os.environ.get("BENCH_TENANTS", "1000"))
os.environ.setdefault("BENCH_DATABASE", "helpdesk_bench_widget")
os.environ.setdefault("BENCH_PORT", "8720")
os.environ.setdefault("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
sys.path.insert(0, str(HERE.parent / "api"))
sys.path.insert(0, str(HERE))

import drain  # noqa: E402
import psycopg  # noqa: E402
import redis  # noqa: E402
from apps import create_databases, drop_databases, floor, post_ticket, start, stop  # noqa: E402
from common import (  # noqa: E402
    CONNECTIONS,
    CONTROL,
    COUNT,
    DATABASE,
    DURATION,
    REDIS_URL,
    ROOT,
    RUNS,
    WORKERS,
    admin,
)
from measure import (  # noqa: E402
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
from widget_load import (  # noqa: E402
    UNLIMITED,
    ceiling_app,
    first_pass,
    intake,
    sign_up_tenants,
    widget_app,
    widget_wrk,
)


def counting_pass(target, monitor, log, by_database: bool, send, warm: int = 0) -> dict:
    """Untimed: statements, transactions and inserted rows per request over COUNT requests
    (``warm``: each of their tenants gets that many requests before, so that both workers
    have met it, as in the timed runs; they are not counted)."""
    set_log_statement(target.database, True)
    try:
        start(target)
        send("first", 0)
        for n in range(COUNT * warm):
            send("warm", n % COUNT)
        time.sleep(11)  # an idle backend publishes its counters within 10 s
        before = database_stats(monitor, target.database)
        offset = log.stat().st_size if log else 0
        for n in range(COUNT):
            send("count", n)
        stop(target, monitor)  # the backends exit and publish their counters
        after = database_stats(monitor, target.database)
    finally:
        stop(target, monitor)
        set_log_statement(target.database, False)
    statements = count_statements(log, offset, target.database, by_database) if log else {}
    return {"xacts": (after["xacts"] - before["xacts"]) / COUNT,
            "inserted": (after["inserted"] - before["inserted"]) / COUNT,
            "statements": {k: v / COUNT for k, v in statements.items()} or None}


def timed_run(target, monitor, rows_conn, run, tag: str) -> dict:
    rows_before = count_rows(rows_conn, target.table) if target.table else 0
    cpu_before = cpu_sample(monitor, target)
    result = run(tag)
    time.sleep(1)  # let the requests wrk left in flight finish
    cpu_after = cpu_sample(monitor, target)
    made = (count_rows(rows_conn, target.table) - rows_before if target.table
            else result["requests"])
    app_ms, _ = cpu_ms(cpu_before["app"], cpu_after["app"])
    db_ms, _ = cpu_ms(cpu_before["db"], cpu_after["db"])
    failed = sum(result[k] for k in ("connect", "read", "write", "status", "timeout"))
    figures = {"rps": result["requests"] / (result["duration_us"] / 1e6),
               "p50": result["p50_us"] / 1000, "p99": result["p99_us"] / 1000,
               "app_cpu": app_ms / max(made, 1), "db_cpu": db_ms / max(made, 1)}
    note = f", {failed} failed" if failed else ""
    print(f"  {tag} {target.title:<6} {figures['rps']:7.1f} req/s  p50 {figures['p50']:6.1f} ms"
          f"  p99 {figures['p99']:6.1f} ms  CPU {figures['app_cpu']:5.1f} + "
          f"{figures['db_cpu']:4.1f} ms/request  ({made} rows{note})")
    target.runs.append(figures)
    return figures


def median(target, key: str) -> float:
    return statistics.median(run[key] for run in target.runs)


def report(ours_target, floor_target, ceiling=None) -> None:
    def statements(counts):
        s = counts.get("statements")
        return None if s is None else sum(v for k, v in s.items() if k not in CONTROL)

    rows = [("requests/s (median)", lambda t: median(t, "rps"), "{:.1f}"),
            ("p50 latency, ms", lambda t: median(t, "p50"), "{:.1f}"),
            ("p99 latency, ms", lambda t: median(t, "p99"), "{:.1f}"),
            ("CPU ms/request: gunicorn", lambda t: median(t, "app_cpu"), "{:.2f}"),
            ("CPU ms/request: PostgreSQL", lambda t: median(t, "db_cpu"), "{:.2f}"),
            ("SQL statements/request", lambda t: statements(t.counts), "{:.1f}"),
            ("transactions/request", lambda t: t.counts["xacts"], "{:.1f}"),
            ("rows inserted/request", lambda t: t.counts["inserted"], "{:.1f}")]
    head = f"{'':<28}{'widget':>10}{'floor':>10}{'widget/floor':>14}"
    print()
    print(f"Widget intake across {len(ours_target.keys)} tenants beside the floor: gunicorn "
          f"{WORKERS} sync workers each, wrk {CONNECTIONS} connections, {DURATION} s x {RUNS} "
          f"runs (medians); counts over {COUNT} requests")
    print(head)
    print("-" * len(head))
    for label, get, fmt in rows:
        a, b = get(ours_target), get(floor_target)
        cells = [fmt.format(v) if v is not None else "n/a" for v in (a, b)]
        ratio = f"{a / b:.2f}" if a is not None and b else "n/a"
        print(f"{label:<28}{cells[0]:>10}{cells[1]:>10}{ratio:>14}")
    s = ours_target.counts.get("statements")
    if s:
        parts = ", ".join(f"{k} {v:.1f}" for k, v in sorted(s.items(), key=lambda i: -i[1])
                          if k not in CONTROL)
        print(f"\nwidget: statements per request: {parts}; not counted above: "
              f"BEGIN/COMMIT/SAVEPOINT/RELEASE and pool pings "
              f"{sum(v for k, v in s.items() if k in CONTROL):.1f}")
    if ceiling is not None:
        print(f"ceiling: the no-op route {median(ceiling, 'rps'):.1f} req/s "
              f"({median(ceiling, 'rps') / median(floor_target, 'rps'):.2f} of the floor), "
              f"p99 {median(ceiling, 'p99'):.1f} ms, "
              f"{median(ceiling, 'app_cpu'):.2f} CPU ms/request in gunicorn")
    throughput = median(ours_target, "rps") / median(floor_target, "rps")
    p99 = median(ours_target, "p99")
    print(f"targets: throughput >= 0.5 of the floor's: {throughput:.2f} "
          f"({'met' if throughput >= 0.5 else 'not met'}); p99 < 150 ms: {p99:.1f} ms "
          f"({'met' if p99 < 150 else 'not met'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true",
                        help="keep the databases, roles and the Redis database")
    parser.add_argument("--intake-only", action="store_true",
                        help="the timed runs only: no drain, no run with a worker")
    args = parser.parse_args()
    ensure_wrk()
    script = (ROOT / "static" / "widget.js").read_bytes()
    print(f"static/widget.js: {len(script)} bytes, {len(gzip.compress(script, 9))} gzipped")
    monitor = admin()
    targets, rows_conns = [], []
    try:
        log = server_log(monitor)
        by_database = "%d" in monitor.execute("SHOW log_line_prefix").fetchone()[0]
        if log is None or not os.access(log, os.R_OK):
            print("warning: the server log is not readable; statements are not counted")
            log = None
        create_databases()
        widget, bare = widget_app(), floor()
        ceiling = ceiling_app(widget)
        targets = [widget, bare, ceiling]
        widget.env.update(SIGNUP_RATE_LIMIT=UNLIMITED, WIDGET_RATE_LIMIT=UNLIMITED,
                          WIDGET_KEY_RATE_LIMIT=UNLIMITED, WIDGET_READ_RATE_LIMIT=UNLIMITED)
        widget.title, bare.title = "widget", "floor"
        widget.table = drain.STORED
        widget.keys = ceiling.keys = sign_up_tenants(widget, TENANTS)
        start(widget)
        try:
            print(f"first pass, one request per tenant (its settings read from the database "
                  f"and shared through Redis): {first_pass(widget):.1f} req/s")
        finally:
            stop(widget)
        print(f"counting statements over {COUNT} requests per app …")
        widget.counts = counting_pass(widget, monitor, log, by_database,
                                      lambda tag, n: intake(widget, tag, n), warm=6)
        bare.counts = counting_pass(bare, monitor, log, by_database,
                                    lambda tag, n: post_ticket(bare, tag, n))
        runs = {"widget": lambda tag: widget_wrk(widget, tag, DURATION),
                "floor": lambda tag: wrk(bare, DURATION, tag),
                "no-op": lambda tag: widget_wrk(ceiling, tag, DURATION, "noop")}
        for target in targets:
            start(target)
            runs[target.title]("warm-up")
            rows_conns.append(admin(target.database))
        print(f"timed runs: {RUNS} x {DURATION} s, {CONNECTIONS} connections")
        for number in range(1, RUNS + 1):
            for target, rows_conn in zip(targets, rows_conns, strict=True):
                timed_run(target, monitor, rows_conn, runs[target.title], f"run{number}")
        report(widget, bare, ceiling)
        print(f"load average now {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        for target in targets:
            stop(target)
        if args.intake_only:
            return
        drain.drain_all(widget, rows_conns[0])
        total, deferred, spam = rows_conns[0].execute(
            "SELECT count(*), count(*) FILTER (WHERE deferred), count(*) FILTER (WHERE spam)"
            " FROM tickets").fetchone()
        print(f"widget: {total} tickets in {len(widget.keys)} tenants, {deferred} deferred, "
              f"{spam} spam")
        start(widget)
        drain.run_with_worker(widget, lambda: timed_run(widget, monitor, rows_conns[0],
                                                        runs["widget"], "worker"))
        drain.paced_lag(widget)
        stop(widget)
    finally:
        for target in targets:
            stop(target)
        for conn in rows_conns:
            conn.close()
        monitor.close()
        if args.keep:
            print(f"kept databases {DATABASE}, {DATABASE}_floor")
        else:
            try:
                drop_databases()
            except psycopg.errors.DependentObjectsStillExist:
                print("the bench roles stay: another benchmark's databases still use them")
            redis.Redis.from_url(REDIS_URL).flushdb()


if __name__ == "__main__":
    main()
