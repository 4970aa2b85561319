"""Measure the inbox and search on the generated data: server-side time of the SQL the ticket
service really runs, at 1,000,000 tickets and at 10,000, with the ratio between them.

For each query kind it calls the service (``list_tickets`` / ``search_tickets``) as the
tenant's admin, captures every SELECT it sends, and runs them again under EXPLAIN ANALYZE
in the same transaction (same tenant context, row-level security on) to sum PostgreSQL's
planning + execution time. Wall time of the service call (ORM included)
is printed alongside. Targets: p95 < 25 ms for list pages, < 60 ms for search, and the 1M
figure within 1.5× the 10k one.

    .venv/bin/python bench/tickets/measure.py [--runs 60]

Run bench/tickets/generate.py first. Settings: see bench/tickets/common.py.
"""
import argparse
import json
import random
import statistics
import time

from common import BIG_SLUG, SMALL_SLUG, make_app
from sqlalchemy import event, select, text

TARGETS = {"search": 60.0}
DEFAULT_TARGET = 25.0


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


class Capture:
    """Collects the statements the service sends during one call (ticket pages take one to
    four: the page, the requesters, and for searches the window bound and candidates)."""

    def __init__(self, engine):
        self.statements: list = []
        event.listen(engine, "before_cursor_execute", self.hook)

    def hook(self, conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT") and "set_config" not in statement:
            self.statements.append((statement, parameters))


def server_ms(db, statements: list) -> float:
    """PostgreSQL's planning + execution time for ``statements``, run again under
    EXPLAIN ANALYZE in the same transaction (same tenant, same row-level security)."""
    raw = db.session.connection().connection.driver_connection
    total = 0.0
    with raw.cursor() as cur:
        for statement, parameters in statements:
            cur.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters)
            plan = cur.fetchone()[0]
            plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
            total += plan["Planning Time"] + plan["Execution Time"]
    return total


def scenarios(db, tenant, admin, agents, rng: random.Random) -> dict:
    """name → function(i) that runs one query through the service."""
    from app.departments.models import Department
    from app.tickets.models import Ticket
    from app.tickets.service import list_tickets, search_tickets

    inbox_ids = db.session.scalars(
        select(Ticket.id).where(Ticket.deleted_at.is_(None), Ticket.archived_at.is_(None),
                                ~Ticket.deferred).order_by(Ticket.id.desc())).all()
    deep = inbox_ids[len(inbox_ids) // 3: len(inbox_ids) - 60]
    words = ["printer", "password", "invoice", "refund", "оплата", "принтер", "счёт",
             "vpn", "router", "подписка", "timeout", "warranty", "скидка", "login error",
             "payment failed", "не работает"]
    numbers = db.session.scalars(select(Ticket.number).order_by(Ticket.id.desc())
                                 .limit(50_000)).all()
    filters = [{"status": "open"}, {"status": ["new", "open", "pending"]},
               {"priority": "urgent"}, {"assignee_id": None, "status": ["new", "open"]},
               {"department_id": None}, {"tag": "vip"}]

    tenant_departments = db.session.scalars(select(Department.id)).all()

    def filtered(i):
        chosen = dict(filters[i % len(filters)])
        if "assignee_id" in chosen:
            chosen["assignee_id"] = rng.choice(agents)
        if "department_id" in chosen:
            chosen["department_id"] = rng.choice(tenant_departments)
        return list_tickets(admin, **chosen)

    def search(i):
        if i % 3 == 2:  # an order number: the rare, exact kind of search
            return search_tickets(admin, f"ord{tenant.id}x{rng.choice(numbers)}")
        return search_tickets(admin, rng.choice(words))

    return {
        "inbox first page": lambda i: list_tickets(admin),
        "inbox deep page (keyset)": lambda i: list_tickets(admin, cursor=rng.choice(deep)),
        "filtered view": filtered,
        "search": search,
    }


def measure(app, db, capture: Capture, slug: str, runs: int) -> dict:
    from app.staff.models import Staff
    from tenants.context import tenant_scope
    from tenants.resolve import tenant_by_slug

    results = {}
    with app.app_context():
        tenant = tenant_by_slug(slug)
        with tenant_scope(tenant.id):
            admin = db.session.scalar(select(Staff).where(Staff.role == "admin"))
            agents = db.session.scalars(select(Staff.id).where(Staff.role == "agent")).all()
            count = db.session.scalar(text("SELECT count(*) FROM tickets WHERE tenant_id = :t"),
                                      {"t": tenant.id})
            rng = random.Random(11)
            for name, run in scenarios(db, tenant, admin, agents, rng).items():
                for i in range(5):  # warm the cache, as a working server has it
                    run(i)
                server, wall = [], []
                for i in range(runs):
                    capture.statements.clear()
                    started = time.perf_counter()
                    page = run(i)
                    wall.append((time.perf_counter() - started) * 1000)
                    server.append(server_ms(db, list(capture.statements)))
                    assert len(page.items) <= 50
                results[name] = {"server": server, "wall": wall}
            db.session.rollback()
    return {"tickets": count, "results": results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()
    app = make_app()
    from app.extensions import db

    with app.app_context():
        capture = Capture(db.engine)
    big = measure(app, db, capture, BIG_SLUG, args.runs)
    small = measure(app, db, capture, SMALL_SLUG, args.runs)
    print(f"\nserver-side time (planning + execution), ms, {args.runs} runs each; "
          f"wall = the service call with the ORM")
    print(f"{'query':28} {'tickets':>9} {'p50':>7} {'p95':>7} {'wall p95':>9} {'target':>7}")
    ok = True
    for name in big["results"]:
        target = TARGETS.get(name, DEFAULT_TARGET)
        for label, data in (("1M", big), ("10k", small)):
            server = data["results"][name]["server"]
            wall = data["results"][name]["wall"]
            p95 = percentile(server, 95)
            ok &= p95 < target
            print(f"{name if label == '1M' else '':28} {data['tickets']:>9,} "
                  f"{statistics.median(server):7.2f} {p95:7.2f} {percentile(wall, 95):9.2f} "
                  f"{'<' + str(int(target)):>7}")
        ratio = percentile(big["results"][name]["server"], 95) / max(
            percentile(small["results"][name]["server"], 95), 0.001)
        ok &= ratio <= 1.5
        print(f"{'':28} {'ratio 1M/10k (p95)':>26}: {ratio:.2f}× (target ≤ 1.5×)")
    print("\nall targets met" if ok else "\nsome targets missed (see above)")


if __name__ == "__main__":
    main()
