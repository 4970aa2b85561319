"""Where the ticket list and search calls spend their CPU: measure.py's calls, each kind run
as a request would (empty identity map), with the CPU time and statements per call, and with
``--profile`` the functions that take the time (cProfile, cumulative and own).

    .venv/bin/python bench/tickets/profile_calls.py [--small] [--runs 60] [--profile] [kind …]

``kind``: part of a query's name as measure.py prints it ("first", "deep", "filtered",
"search"); all of them by default. ``--small``: the 10,000-ticket tenant. Run
bench/tickets/generate.py first. Settings: see bench/tickets/common.py.
"""
import argparse
import cProfile
import pstats
import random
import statistics
import time

from common import BIG_SLUG, SMALL_SLUG, make_app
from measure import percentile, scenarios
from sqlalchemy import event, select


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("kinds", nargs="*")
    parser.add_argument("--small", action="store_true")
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    app = make_app()
    from app.extensions import db
    from app.staff.models import Staff
    from tenants.context import tenant_scope
    from tenants.resolve import current_tenant, tenant_id_by_slug

    sent = [0]
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute",
                     lambda *_: sent.__setitem__(0, sent[0] + 1))
        with tenant_scope(tenant_id_by_slug(SMALL_SLUG if args.small else BIG_SLUG)):
            tenant = current_tenant()
            admin = db.session.scalar(select(Staff).where(Staff.role == "admin"))
            agents = db.session.scalars(select(Staff.id).where(Staff.role == "agent")).all()
            calls = scenarios(db, tenant, admin, agents, random.Random(11))
            print(f"{'query':26} {'CPU p50':>8} {'CPU p95':>8} {'wall p50':>9} "
                  f"{'statements':>10}   (ms, {args.runs} calls each)")
            for name, run in calls.items():
                if args.kinds and not any(kind in name for kind in args.kinds):
                    continue
                for i in range(5):
                    run(i)
                profile = cProfile.Profile() if args.profile else None
                cpu, wall, statements = [], [], []
                for i in range(args.runs):
                    db.session.expunge_all()
                    sent[0] = 0
                    started, cpu_started = time.perf_counter(), time.process_time()
                    if profile:
                        profile.enable()
                    run(i)
                    if profile:
                        profile.disable()
                    cpu.append((time.process_time() - cpu_started) * 1000)
                    wall.append((time.perf_counter() - started) * 1000)
                    statements.append(sent[0])
                print(f"{name:26} {statistics.median(cpu):8.2f} {percentile(cpu, 95):8.2f} "
                      f"{statistics.median(wall):9.2f} {min(statements):>4}–{max(statements)}")
                if profile:
                    stats = pstats.Stats(profile)
                    stats.sort_stats("cumulative").print_stats(30)
                    stats.sort_stats("tottime").print_stats(20)
            db.session.rollback()


if __name__ == "__main__":
    main()
