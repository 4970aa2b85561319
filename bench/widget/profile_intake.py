"""Where the time of one widget intake goes: the app in this process (production settings,
the three roles, PostgreSQL and Redis as in intake.py), N requests as the widget sends them
to the widgets of BENCH_TENANTS tenants in turn, each handed to the app's WSGI callable (built
before the clock starts: only the app is timed), under cProfile; and the same for a no-op
public JSON route (``--noop``: what any request costs before a view does anything).

    .venv/bin/python bench/widget/profile_intake.py [--requests 500] [--top 40] [--noop]
        [--sort tottime] [--statements] [--no-profile]

It prints CPU ms per request (this process only: the app's Python, without PostgreSQL's
side), statements per request, and the profile's top functions. The HTTP server (gunicorn)
is not in the picture; intake.py measures the whole request beside the floor.
"""
import argparse
import cProfile
import io
import os
import pstats
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
os.environ.setdefault("BENCH_DATABASE", "helpdesk_bench_widget_profile")
os.environ.setdefault("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
sys.path.insert(0, str(HERE.parent / "api"))
sys.path.insert(0, str(HERE))

import psycopg  # noqa: E402
from apps import create_databases, drop_databases  # noqa: E402
from common import ROOT  # noqa: E402
from werkzeug.test import EnvironBuilder  # noqa: E402
from widget_load import (  # noqa: E402
    CONTENT_TYPE,
    ORIGIN,
    QUERY,
    UNLIMITED,
    intake_body,
    sign_up_tenants,
    widget_app,
)  # noqa: E402

sys.path.insert(0, str(ROOT))
TENANTS = int(os.environ.get("BENCH_TENANTS", "200"))


def build(target):
    target.env.update(WIDGET_RATE_LIMIT=UNLIMITED, WIDGET_KEY_RATE_LIMIT=UNLIMITED,
                      WIDGET_READ_RATE_LIMIT=UNLIMITED)
    os.environ.update(target.env)
    from noop_app import add_noop_route

    from app import create_app  # after the environment is set: settings are read at build

    app = create_app()
    add_noop_route(app)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--noop", action="store_true", help="profile the no-op route instead")
    parser.add_argument("--no-profile", action="store_true", help="CPU figures only")
    parser.add_argument("--statements", action="store_true",
                        help="print the statements of the last request")
    parser.add_argument("--dump", help="also write the profile to this file (pstats)")
    parser.add_argument("--cold", choices=("none", "process", "all"), default="none",
                        help="the timed requests find the tenants' settings in no cache "
                             "(all), only in Redis, as a fresh worker does (process), or "
                             "warm (none)")
    args = parser.parse_args()
    create_databases()
    try:
        target = widget_app()
        keys = sign_up_tenants(target, TENANTS)
        app = build(target)
        statements = []
        # Counted at the driver: the ORM's statements and those sent on the driver alone.
        execute = psycopg.Cursor.execute

        def counted(cursor, query, *args, **kwargs):
            statements.append(query if isinstance(query, str) else repr(query))
            return execute(cursor, query, *args, **kwargs)

        psycopg.Cursor.execute = counted

        def environ(n: int) -> dict:
            """Request ``n``, built before the clock starts: only the app is timed."""
            key = keys[n % len(keys)]
            if args.noop:
                return EnvironBuilder(f"/widget/{key}/noop", method="POST", json={"n": n},
                                      headers={"Origin": ORIGIN}).get_environ()
            return EnvironBuilder(f"/widget/{key}/tickets", method="POST",
                                  query_string=QUERY.lstrip("?"), content_type=CONTENT_TYPE,
                                  data=intake_body(n, f"c{n}@customers.example"),
                                  headers={"Origin": ORIGIN}).get_environ()

        def send(request: dict) -> None:
            status = []
            answer = b"".join(app(request, lambda code, headers, exc=None: status.append(code)))
            assert status[0].startswith("200" if args.noop else "201"), answer

        def post(n: int) -> None:
            send(environ(n))

        for n in range(len(keys) * 2):  # every tenant's cached settings warm, twice
            post(n)
        if args.cold != "none":
            from app import settings_cache

            settings_cache.clear()
            if args.cold == "all":
                redis = app.extensions["redis"]
                for name in redis.scan_iter("settings-value:*"):
                    redis.delete(name)
            args.requests = min(args.requests, len(keys))  # each tenant once: all cold
        first = len(keys) * 2
        requests = [environ(n) for n in range(first, first + args.requests)]
        statements.clear()
        profile = cProfile.Profile(time.process_time)  # CPU, not waiting
        cpu, wall = time.process_time(), time.perf_counter()
        if not args.no_profile:
            profile.enable()
        for request in requests:
            if args.statements:
                del statements[:]
            send(request)
        profile.disable()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        per = 1 if args.statements else args.requests
        print(f"{args.requests} {'no-op' if args.noop else 'intake'} requests over {len(keys)} "
              f"tenants: {1000 * cpu / args.requests:.2f} CPU ms/request "
              f"(profiler {'off' if args.no_profile else 'on'}), "
              f"{1000 * wall / args.requests:.2f} wall ms, "
              f"{len(statements) / per:.1f} statements/request")
        if args.statements:
            print("\n".join(" ".join(s.split())[:160] for s in statements))
        pending = app.extensions["redis"].llen("rq:queue:default")
        print(f"jobs waiting on the default queue: {pending}")
        if args.no_profile:
            return
        if args.dump:
            profile.dump_stats(args.dump)
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
        print(out.getvalue())
    finally:
        subprocess.run(["redis-cli", "-u", os.environ["BENCH_REDIS_URL"], "flushdb"],
                       capture_output=True)
        try:
            drop_databases()
        except psycopg.errors.DependentObjectsStillExist:
            pass  # the bench roles stay: another benchmark's databases still use them


if __name__ == "__main__":
    main()
