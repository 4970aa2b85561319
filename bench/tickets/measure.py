"""Measure the inbox and search on the generated data: server-side time of the SQL the ticket
service really runs, at 1,000,000 tickets and at 10,000, with the ratio between them.

For each query kind it calls the service (``list_tickets`` / ``search_tickets``) as the
tenant's admin, captures every query it sends (SELECT and WITH), and runs them again under
EXPLAIN ANALYZE in the same transaction (same tenant context, row-level security on) to sum
PostgreSQL's planning + execution time ("SQL"; per-node timing off, it would slow long walks).
PostgreSQL 15 leaves out of that figure the work of turning the result into text and sending
it, so "trips" shows the time the call itself spent waiting on the driver's execute (every
statement, the search's settings and its planner estimate included), and "replay" the wall
time of sending the same queries again through the bare driver (psycopg, text results, every
row fetched: what a call costs at the least, with no Python of ours). Last, the wall time of
the service call ("call": building the statements, the round trips, turning rows into
objects), each call starting from an empty identity map as a request does, and its CPU time in
this process ("CPU": the Python side alone, steadier than wall time on a busy machine).
SQL and replay run after the call, on the pages it has just read into PostgreSQL's buffers: a
call for a page read rarely (a deep page) may wait on reads its replay does not.
Targets, on p95:
< 25 ms for list
pages and < 60 ms for search (SQL and call alike), the call within 2× its SQL, and the 1M
figure within 1.5× the 10k one (SQL and call alike).

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
CALL_OVER_SQL = 2.0  # the service call within this factor of its SQL's time
GROWTH = 1.5  # the 1M figure within this factor of the 10k one


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


class Capture:
    """Collects the queries the service sends during one call (a page takes one; a search
    a few more: the tenant's size, a window, the candidates), and the time the driver spent
    in them: the round trips as the call saw them (server time, result transfer)."""

    def __init__(self, engine):
        self.statements: list = []
        self.driver_ms = 0.0
        self._started = 0.0
        event.listen(engine, "before_cursor_execute", self.before)
        event.listen(engine, "after_cursor_execute", self.after)

    def clear(self) -> None:
        self.statements.clear()
        self.driver_ms = 0.0

    def before(self, conn, cursor, statement, parameters, context, executemany):
        head = statement.lstrip()[:6].upper()
        # A statement that only applies settings (the transaction's tenant, a page's parallel
        # workers) is no query; one that also reads (the search's size) is.
        if head.startswith(("SELECT", "WITH")) and not statement.lstrip().startswith(
                "SELECT set_config("):
            self.statements.append((statement, parameters))
        self._started = time.perf_counter()

    def after(self, conn, cursor, statement, parameters, context, executemany):
        self.driver_ms += (time.perf_counter() - self._started) * 1000


def server_ms(db, statements: list) -> float:
    """PostgreSQL's planning + execution time for ``statements``, run again under
    EXPLAIN ANALYZE in the same transaction (same tenant, same row-level security). Without
    per-node timing, which would add its own clock reads to every row of a long walk."""
    raw = db.session.connection().connection.driver_connection
    total = 0.0
    with raw.cursor() as cur:
        for statement, parameters in statements:
            cur.execute("EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) " + statement, parameters)
            plan = cur.fetchone()[0]
            plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
            total += plan["Planning Time"] + plan["Execution Time"]
    return total


def replay_ms(db, statements: list) -> float:
    """The wall time of ``statements`` sent again through the bare driver, all rows fetched."""
    raw = db.session.connection().connection.driver_connection
    started = time.perf_counter()
    with raw.cursor() as cur:
        for statement, parameters in statements:
            cur.execute(statement, parameters)
            cur.fetchall()
    return (time.perf_counter() - started) * 1000


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
    from tenants.resolve import current_tenant, tenant_id_by_slug

    results = {}
    with app.app_context():
        with tenant_scope(tenant_id_by_slug(slug)):
            tenant = current_tenant()
            admin = db.session.scalar(select(Staff).where(Staff.role == "admin"))
            agents = db.session.scalars(select(Staff.id).where(Staff.role == "agent")).all()
            count = db.session.scalar(text("SELECT count(*) FROM tickets WHERE tenant_id = :t"),
                                      {"t": tenant.id})
            rng = random.Random(11)
            for name, run in scenarios(db, tenant, admin, agents, rng).items():
                for i in range(5):  # warm the caches, as a working server has them
                    run(i)
                server, wall, driver, cpu, replay = [], [], [], [], []
                for i in range(runs):
                    db.session.expunge_all()  # each request starts with an empty identity map
                    capture.clear()
                    started, cpu_started = time.perf_counter(), time.process_time()
                    page = run(i)
                    wall.append((time.perf_counter() - started) * 1000)
                    cpu.append((time.process_time() - cpu_started) * 1000)
                    driver.append(capture.driver_ms)
                    statements = list(capture.statements)
                    server.append(server_ms(db, statements))
                    replay.append(replay_ms(db, statements))
                    assert len(page.items) <= 50
                results[name] = {"server": server, "wall": wall, "driver": driver, "cpu": cpu,
                                 "replay": replay}
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
    print(f"\nms, {args.runs} runs each. SQL: PostgreSQL's planning + execution of the "
          f"queries the call sent; call: the service call's wall time")
    print("round trips: the time the call spent inside the driver's execute (server work, "
          "sending the rows, SET statements included); replay: the same queries sent again "
          "through the bare driver; CPU: the call's CPU time here")
    print(f"{'query':26} {'tickets':>9} {'SQL p50':>8} {'SQL p95':>8} {'trips p95':>9} "
          f"{'replay p95':>10} {'CPU p50':>8} {'call p50':>9} {'call p95':>9} {'call/SQL':>9} "
          f"{'target':>7}")
    ok = True
    for name in big["results"]:
        target = TARGETS.get(name, DEFAULT_TARGET)
        for label, data in (("1M", big), ("10k", small)):
            server = data["results"][name]["server"]
            wall = data["results"][name]["wall"]
            sql_p95, call_p95 = percentile(server, 95), percentile(wall, 95)
            over = call_p95 / max(sql_p95, 0.001)
            ok &= sql_p95 < target and call_p95 < target and over <= CALL_OVER_SQL
            trips_p95 = percentile(data["results"][name]["driver"], 95)
            replay_p95 = percentile(data["results"][name]["replay"], 95)
            cpu_p50 = statistics.median(data["results"][name]["cpu"])
            print(f"{name if label == '1M' else '':26} {data['tickets']:>9,} "
                  f"{statistics.median(server):8.2f} {sql_p95:8.2f} {trips_p95:9.2f} "
                  f"{replay_p95:10.2f} {cpu_p50:8.2f} {statistics.median(wall):9.2f} "
                  f"{call_p95:9.2f} {over:8.2f}× {'<' + str(int(target)):>7}")
        growth = [percentile(big["results"][name][kind], 95) / max(
            percentile(small["results"][name][kind], 95), 0.001) for kind in ("server", "wall")]
        ok &= max(growth) <= GROWTH
        print(f"{'':26} ratio 1M/10k (p95): SQL {growth[0]:.2f}×, call {growth[1]:.2f}× "
              f"(target ≤ {GROWTH}×; call/SQL ≤ {CALL_OVER_SQL}×)")
    print("\nall targets met" if ok else "\nsome targets missed (see above)")


if __name__ == "__main__":
    main()
