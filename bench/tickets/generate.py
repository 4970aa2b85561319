"""Generate the ticket benchmark's data with COPY: 1,000,000 tickets in one tenant, 4,000,000
spread over four others, and 10,000 in a small tenant (for the growth ratio).

Creates a separate database (as the ``postgres`` superuser), migrates it as the app's role,
then bulk-loads with COPY (foreign-key triggers off for the load, as a restore does), builds
the indexes afterwards and analyzes. Tickets of all tenants are interleaved in id order like
real traffic; old tickets are closed and archived, recent ones active. Each ticket gets one
customer message; its search document is written directly from precomputed lexemes, the
same ones ``to_tsvector`` gives for those words.

    .venv/bin/python bench/tickets/generate.py [--big 1000000] [--others 4000000]
        [--other-tenants 4] [--small 10000]

Settings: see bench/tickets/common.py. Then run bench/tickets/measure.py.
"""
import argparse
import json
import random
import time
from datetime import UTC, datetime, timedelta

import psycopg
from common import ADMIN_URL, BIG_SLUG, DATABASE, LOAD_URL, OWNER, SMALL_SLUG, make_app
from vocabulary import WEIGHTS, WORDS

STATUSES_ACTIVE = ["new", "open", "open", "open", "pending", "pending", "on_hold"]
PRIORITIES = ["low", "normal", "normal", "normal", "normal", "high", "high", "urgent"]
TYPES = ["incident", "service_request", "information_request", "documentation_request",
         "change_request", None]
CHANNELS = ["widget", "email", "email", "portal", "api", "staff"]
TAGS = [[], [], [], ["vip"], ["billing"], ["bug"], ["vip", "billing"], ["hardware"]]
DEPARTMENTS, AGENTS = 5, 9
BATCH = 20_000


def create_database() -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DATABASE}" OWNER "{OWNER}"')
    from flask_migrate import upgrade

    app = make_app()
    with app.app_context():
        upgrade(revision="heads")


def lexemes(conn) -> dict[str, str]:
    """Each word's lexemes under the english and russian configurations, as tsvector text."""
    rows = conn.execute(
        "SELECT w, array_to_string(tsvector_to_array(to_tsvector('english', w) "
        "|| to_tsvector('russian', w)), ' ') FROM unnest(%s::text[]) AS w", (WORDS,))
    return {word: " ".join(f"'{lex}'" for lex in joined.split()) for word, joined in rows}


def setup_tenants(conn, plan: list[tuple[str, int]]) -> list[dict]:
    tenants = []
    for slug, count in plan:
        tenant_id = conn.execute(
            "INSERT INTO tenants (slug, name, plan, language, timezone, currency, balance, "
            "widget_key, created_at) VALUES (%s, %s, 'pro', 'en', 'UTC', 'RUB', 1000000, %s, "
            "now()) RETURNING id", (slug, slug.title(), f"wk-{slug}")).fetchone()[0]
        departments = [conn.execute(
            "INSERT INTO departments (tenant_id, name, description, created_at) "
            "VALUES (%s, %s, '', now()) RETURNING id", (tenant_id, f"Dept {d}")).fetchone()[0]
            for d in range(DEPARTMENTS)]
        staff = [conn.execute(
            "INSERT INTO staff (tenant_id, name, email, password_hash, role, active, "
            "created_at) VALUES (%s, %s, %s, 'x', %s, true, now()) "
            "RETURNING id", (tenant_id, f"Staff {s}", f"s{s}@{slug}.example",
                             "admin" if s == 0 else "agent")).fetchone()[0]
            for s in range(AGENTS + 1)]
        for i, agent in enumerate(staff[1:]):
            conn.execute("INSERT INTO department_access (tenant_id, staff_id, department_id, "
                         "access) VALUES (%s, %s, %s, 'manage')",
                         (tenant_id, agent, departments[i % DEPARTMENTS]))
        customers = max(100, min(count // 20, 50_000))
        first = conn.execute(
            "INSERT INTO customers (tenant_id, email, name, created_at) "
            "SELECT %s, 'c' || g || '@client' || (g %% 97) || '.example', 'Customer ' || g, "
            "now() FROM generate_series(1, %s) AS g RETURNING id",
            (tenant_id, customers)).fetchall()
        tenants.append({"id": tenant_id, "slug": slug, "count": count, "departments":
                        departments, "agents": staff[1:], "customers": [r[0] for r in first],
                        "next_number": 0})
    return tenants


def ticket_rows(tenants: list[dict], total: int, words: dict[str, str], rng: random.Random):
    """Yield (ticket, message, search document) COPY lines in id order, tenants interleaved
    by their share."""
    weights = [t["count"] for t in tenants]
    remaining = [t["count"] for t in tenants]
    start = datetime.now(UTC) - timedelta(days=3 * 365)
    step = (datetime.now(UTC) - start) / total
    for ticket_id in range(1, total + 1):
        index = rng.choices(range(len(tenants)), weights)[0]
        while remaining[index] == 0:
            index = rng.choices(range(len(tenants)), weights)[0]
        remaining[index] -= 1
        if remaining[index] == 0:
            weights[index] = 0
        tenant = tenants[index]
        tenant["next_number"] += 1
        age = ticket_id / total  # 0 old … 1 newest
        created = start + step * ticket_id
        subject_words = rng.choices(WORDS, WEIGHTS, k=rng.randint(4, 7))
        body_words = rng.choices(WORDS, WEIGHTS, k=rng.randint(12, 25))
        token = f"ord{tenant['id']}x{tenant['next_number']}"
        subject = " ".join(subject_words) + f" {token}"
        body = " ".join(body_words)
        vector = " ".join({words[w] for w in subject_words + body_words if words[w]}) + \
            f" '{token}' '__t{tenant['id']}'"  # the tenant lexeme, as search.reindex adds
        if age > 0.97:
            status, archived, closed = rng.choice(STATUSES_ACTIVE), None, None
        elif age > 0.90:
            status, archived, closed = rng.choice(["resolved", "closed"]), None, created
        else:
            status, archived, closed = "closed", created + timedelta(days=30), created
        department = rng.choice(tenant["departments"])
        assignee = rng.choice(tenant["agents"] + [None])
        customer = rng.choice(tenant["customers"])
        ts = created.isoformat()
        null = "\\N"
        yield "\t".join(str(v) for v in (
            ticket_id, tenant["id"], tenant["next_number"], subject, customer, null,
            department, assignee if assignee else null, rng.choice(TYPES) or null,
            rng.choice(PRIORITIES), status, rng.choice(CHANNELS), json.dumps(rng.choice(TAGS)),
            "{}", ts, ts, ts, (created + timedelta(hours=2)).isoformat(),
            closed.isoformat() if status in ("resolved", "closed") and closed else null,
            closed.isoformat() if status == "closed" and closed else null,
            archived.isoformat() if archived else null, null, "f", null, 1, 1, null, null,
            null, 0, "f", null)) + "\n", "\t".join(str(v) for v in (
                ticket_id, tenant["id"], ticket_id, "customer", customer, f"Customer {customer}",
                f"<p>{body}</p>", body, "f", 1, ts)) + "\n", \
            f"{ticket_id}\t{tenant['id']}\t{vector}\n"


TICKET_COLUMNS = (
    "id, tenant_id, number, subject, customer_id, organization_id, department_id, "
    "assignee_id, type, priority, status, channel, tags, custom_fields, received_at, "
    "created_at, updated_at, first_response_at, resolved_at, closed_at, archived_at, "
    "deleted_at, deferred, merged_into_id, escalation_level, version, first_response_due_at, "
    "resolution_due_at, sla_paused_at, sla_paused_seconds, sla_breached, routing_rule_id")
MESSAGE_COLUMNS = ("id, tenant_id, ticket_id, author_kind, customer_id, author_name, "
                   "body_html, body_text, internal, ticket_version, created_at")


def secondary_indexes(conn, table: str) -> list[tuple[str, str]]:
    """Indexes not backing a constraint: dropped for the load, rebuilt after."""
    return conn.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND NOT "
        "EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
        (table,)).fetchall()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--big", type=int, default=1_000_000)
    parser.add_argument("--others", type=int, default=4_000_000)
    parser.add_argument("--other-tenants", type=int, default=4)
    parser.add_argument("--small", type=int, default=10_000)
    args = parser.parse_args()
    began = time.perf_counter()
    create_database()
    print(f"database {DATABASE} migrated in {time.perf_counter() - began:.1f} s")
    plan = [(BIG_SLUG, args.big), (SMALL_SLUG, args.small)] + [
        (f"bench-other-{i}", args.others // args.other_tenants)
        for i in range(1, args.other_tenants + 1)]
    total = sum(count for _, count in plan)
    rng = random.Random(2026)
    with psycopg.connect(LOAD_URL) as conn:
        conn.execute("SET session_replication_role = replica")  # no FK triggers while loading
        conn.execute("SET maintenance_work_mem = '1GB'")
        words = lexemes(conn)
        tenants = setup_tenants(conn, plan)
        dropped = [index for table in ("tickets", "messages", "ticket_search")
                   for index in secondary_indexes(conn, table)]
        for name, _ in dropped:
            conn.execute(f'DROP INDEX "{name}"')
        conn.commit()
        loaded = time.perf_counter()
        # Three connections COPY side by side: tickets, their messages, their search documents.
        with psycopg.connect(LOAD_URL) as side, psycopg.connect(LOAD_URL) as third:
            for extra in (side, third):
                extra.execute("SET session_replication_role = replica")
            with conn.cursor() as cur, side.cursor() as side_cur, third.cursor() as third_cur, \
                    cur.copy(f"COPY tickets ({TICKET_COLUMNS}) FROM STDIN") as tickets_copy, \
                    side_cur.copy(f"COPY messages ({MESSAGE_COLUMNS}) FROM STDIN") \
                    as messages_copy, \
                    third_cur.copy("COPY ticket_search (ticket_id, tenant_id, document) "
                                   "FROM STDIN") as search_copy:
                batches: tuple[list, list, list] = ([], [], [])
                streams = (tickets_copy, messages_copy, search_copy)
                for n, lines in enumerate(ticket_rows(tenants, total, words, rng), 1):
                    for batch, line in zip(batches, lines, strict=True):
                        batch.append(line)
                    if len(batches[0]) == BATCH:
                        for stream, batch in zip(streams, batches, strict=True):
                            stream.write("".join(batch))
                            batch.clear()
                    if n % 500_000 == 0:
                        print(f"  {n:,} tickets ({time.perf_counter() - loaded:.0f} s)",
                              flush=True)
                for stream, batch in zip(streams, batches, strict=True):
                    stream.write("".join(batch))
            side.commit()
            third.commit()
        conn.commit()
        print(f"COPY of {total:,} tickets and messages: {time.perf_counter() - loaded:.0f} s")
        indexed = time.perf_counter()
        for _name, definition in dropped:
            conn.execute(definition)
            conn.commit()
        print(f"{len(dropped)} indexes rebuilt in {time.perf_counter() - indexed:.0f} s")
        for table in ("tickets", "messages", "customers"):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                         f"(SELECT max(id) FROM {table}))")
        for tenant in tenants:
            conn.execute("INSERT INTO ticket_counters (tenant_id, last_number) VALUES (%s, %s)",
                         (tenant["id"], tenant["next_number"]))
        conn.commit()
    with psycopg.connect(LOAD_URL, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE tickets")
        conn.execute("VACUUM ANALYZE messages")
        conn.execute("VACUUM ANALYZE ticket_search")
        conn.execute("ANALYZE")
    print(f"done in {time.perf_counter() - began:.0f} s: {total:,} tickets "
          f"({', '.join(f'{slug} {count:,}' for slug, count in plan)})")


if __name__ == "__main__":
    main()
