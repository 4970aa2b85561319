"""Measure the reports endpoint on the data of bench/reports/generate.py: full requests
through the app (bearer token, JSON out) for a year by month, 90 days by day, 12 weeks by
week, and the staff statistics of the last 30 days (replies and notes, open load, last
activity); prints p50/p95/max, the target, and the machine's load average (the figures
are wall-clock times: other work on the machine shows in them), and the median CPU time the
app's process spent per request (the database's own work not included). Nothing is cached between
requests: each one reads and adds up its rollups.

    .venv/bin/python bench/reports/measure.py [--runs 60]
"""
import argparse
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("BENCH_DATABASE", "helpdesk_bench_reports")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tickets"))

from common import BIG_SLUG, make_app  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

TARGET_MS = 200


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()
    from app.auth.tokens import create_token
    from app.extensions import db
    from app.reports import rollup
    from app.staff.models import Staff
    from app.tickets.models import Ticket
    from tenants.context import tenant_scope
    from tenants.resolve import tenant_id_by_slug

    app = make_app()
    with app.app_context():
        tenant_id = tenant_id_by_slug(BIG_SLUG)
        with tenant_scope(tenant_id):
            admin = db.session.scalar(select(Staff).where(Staff.role == "admin"))
            _, token = create_token(admin, "bench")
            tickets = db.session.scalar(select(func.count(Ticket.id)))
            today = rollup.today()
            db.session.commit()
    year_start = date(today.year - 1, today.month, 1) + timedelta(days=0)
    cases = {
        "year by month": f"/api/v1/reports?period=month&from={year_start}&to={today}",
        "90 days by day": f"/api/v1/reports?period=day&from={today - timedelta(days=89)}"
                          f"&to={today}",
        "12 weeks by week": "/api/v1/reports?period=week",
        "staff statistics, 30 days": "/api/v1/reports/agents",
    }
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    print(f"tenant {BIG_SLUG}: {tickets:,} tickets; {args.runs} requests per case "
          f"after 5 warm-up requests; load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores")
    failed = False
    for name, url in cases.items():
        timings, cpu = [], []
        for n in range(args.runs + 5):
            began, began_cpu = time.perf_counter(), time.process_time()
            response = client.get(url, headers=headers)
            elapsed = (time.perf_counter() - began) * 1000
            assert response.status_code == 200, (url, response.get_json())
            if n >= 5:
                timings.append(elapsed)
                cpu.append((time.process_time() - began_cpu) * 1000)
        p95 = percentile(timings, 0.95)
        gated = name != "12 weeks by week"
        verdict = ("ok" if p95 < TARGET_MS else "OVER") if gated else "(not gated)"
        failed |= gated and p95 >= TARGET_MS
        print(f"  {name:26s} p50 {statistics.median(timings):6.1f} ms  p95 {p95:6.1f} ms  "
              f"max {max(timings):6.1f} ms  app CPU p50 {statistics.median(cpu):5.1f} ms  "
              f"{verdict}")
    body = client.get(cases["year by month"], headers=headers).get_json()
    print(f"  a year by month: {sum(i['received'] for i in body['series']):,} received, "
          f"{len(body['series'])} periods")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
