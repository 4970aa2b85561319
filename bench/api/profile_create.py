"""Where the time of one API ticket creation goes: the app in this process (production
settings, the three roles, PostgreSQL and Redis as in create_ticket.py), N requests through
Flask's test client under cProfile, and the CPU this process spent per request.

    .venv/bin/python bench/api/profile_create.py [--requests 500] [--top 40] [--sort tottime]

It prints CPU ms per request (this process only: the app's Python, without PostgreSQL's
side), statements per request, and the profile's top functions. The HTTP server (gunicorn)
is not in the picture; create_ticket.py measures the whole request beside its peers.
"""
import argparse
import cProfile
import io
import os
import pstats
import secrets
import subprocess
import sys
import time

from apps import create_databases, drop_databases
from common import (
    APP_ROLE,
    BODY,
    DATABASE,
    OWNER,
    PLATFORM_ROLE,
    REDIS_URL,
    ROOT,
    SUBJECT,
    admin,
    database_url,
)
from measure import backend_pids, cpu_ms, cpu_ticks

sys.path.insert(0, str(ROOT))


def environment() -> dict:
    return {"DATABASE_URL": database_url(APP_ROLE, DATABASE),
            "MIGRATION_DATABASE_URL": database_url(OWNER, DATABASE),
            "PLATFORM_DATABASE_URL": database_url(PLATFORM_ROLE, DATABASE),
            "SECRET_KEY": secrets.token_hex(32), "REDIS_URL": REDIS_URL}


def build_app():
    os.environ.update(environment())
    done = subprocess.run([str(ROOT / ".venv/bin/flask"), "--app", "wsgi", "db",
                              "upgrade", "heads"],
                          cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"flask db upgrade failed:\n{done.stdout}\n{done.stderr}")
    from app import create_app  # after the environment is set: settings are read at build
    return create_app()


def sign_up(client) -> dict:
    answer = client.post("/api/v1/signup", json={
        "company_name": "Profile Ltd", "slug": "profile", "admin_name": "Admin",
        "admin_email": "admin@profile.example", "password": secrets.token_urlsafe(18)})
    assert answer.status_code == 201, answer.get_json()
    with admin(DATABASE) as conn:
        conn.execute("UPDATE plans SET tickets_per_day = 1000000 WHERE name = 'pro'")
        conn.execute("UPDATE tenants SET plan = 'pro' WHERE slug = 'profile'")
    return {"Authorization": f"Bearer {answer.get_json()['token']}"}


def _backends_cpu() -> float:
    """CPU milliseconds the PostgreSQL backends serving the benchmark database have used."""
    with admin("postgres") as monitor:
        before, _ = cpu_ms({}, cpu_ticks(backend_pids(monitor, DATABASE)))
    return before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--dump", help="also write the profile to this file (pstats)")
    parser.add_argument("--no-profile", action="store_true", help="CPU figures only")
    parser.add_argument("--chunks", type=int, default=0,
                        help="also print CPU per request for every CHUNKS requests (growth)")
    parser.add_argument("--statements", action="store_true",
                        help="print the statements of the last request")
    args = parser.parse_args()
    create_databases()
    try:
        app = build_app()
        from sqlalchemy import event

        from app.extensions import db
        client = app.test_client()
        headers = sign_up(client)
        statements = []
        with app.app_context():
            for engine in {db.engine, *db.engines.values()}:
                event.listen(engine, "before_cursor_execute",
                             lambda *a: statements.append(a[2]))

        def post(n: int) -> None:
            answer = client.post("/api/v1/tickets", headers=headers, json={
                "subject": SUBJECT.replace("@N@", str(n)), "body": BODY.replace("@N@", str(n)),
                "requester": {"email": f"c{n}@client.example", "name": f"Customer {n}"}})
            assert answer.status_code == 201, answer.get_json()

        for n in range(50):
            post(n)
        statements.clear()
        profile = cProfile.Profile(time.process_time)  # CPU, not waiting
        cpu, wall = time.process_time(), time.perf_counter()
        if not args.no_profile:
            profile.enable()
        chunk, backends = time.process_time(), _backends_cpu()
        for n in range(50, 50 + args.requests):
            if args.statements:
                del statements[:]
            post(n)
            if args.chunks and (n - 49) % args.chunks == 0:
                now, backends_now = time.process_time(), _backends_cpu()
                print(f"  requests {n - 49 - args.chunks + 1}-{n - 49}: "
                      f"{1000 * (now - chunk) / args.chunks:.2f} CPU ms/request in the app, "
                      f"{(backends_now - backends) / args.chunks:.2f} in PostgreSQL")
                chunk, backends = now, backends_now
        profile.disable()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        per = 1 if args.statements else args.requests
        print(f"{args.requests} requests: {1000 * cpu / args.requests:.2f} CPU ms/request "
              f"(profiler {'off' if args.no_profile else 'on'}), "
              f"{1000 * wall / args.requests:.2f} wall ms, "
              f"{len(statements) / per:.1f} statements/request")
        if args.statements:
            print("\n".join(" ".join(s.split())[:150] for s in statements))
        if args.no_profile:
            return
        if args.dump:
            profile.dump_stats(args.dump)
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
        print(out.getvalue())
    finally:
        drop_databases()


if __name__ == "__main__":
    main()
