"""Where one worker's import goes: a first sync of ``--messages`` letters from the fake
Google (in its own process) under cProfile; prints the worker's CPU per message beside the
fake's and the database backends', then the top functions by own and by cumulative time.
``--cpu`` profiles CPU time instead of wall time, ``--statements`` counts the SQL
statements sent, ``--out FILE`` keeps the profile for pstats.

    .venv/bin/python bench/gmail/profile_import.py [--messages 1000] [--top 40] [--cpu]
        [--statements] [--out FILE]
"""
import argparse
import cProfile
import os
import pstats
import time
from collections import Counter

from common import (
    BOX,
    RemoteFake,
    connected_tenant,
    database_cpu,
    fresh_app,
    process_cpu,
    settings,
)
from sqlalchemy import event

from app.mailbox.jobs import sync_mailbox_job
from tests.fakes.google_server import FakeGoogle


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--out", default="")
    parser.add_argument("--statements", action="store_true",
                        help="count the SQL statements by their first 110 characters")
    parser.add_argument("--cpu", action="store_true",
                        help="profile CPU time (time.process_time) instead of wall time")
    args = parser.parse_args()
    with FakeGoogle() as placeholder:
        app = fresh_app(placeholder)
    google = RemoteFake(BOX, args.messages)
    try:
        app.config.update(settings(google))
        tenant_id, mailbox_id = connected_tenant(app, google)
        profile = cProfile.Profile(time.process_time) if args.cpu else cProfile.Profile()
        statements = Counter()
        if args.statements:
            with app.app_context():
                from app.extensions import db  # the engine exists once the app does
                engines = list(db.engines.values())

            def count(conn, cursor, statement, parameters, context, executemany):
                statements[" ".join(statement.split())[:110]] += 1

            for engine in engines:
                event.listen(engine, "before_cursor_execute", count)
        fake_before = process_cpu(google.process.pid)
        database = os.environ["TEST_DATABASE_NAME"]
        database_before = database_cpu(database)
        with app.app_context():
            started, cpu = time.perf_counter(), time.process_time()
            profile.enable()
            result = sync_mailbox_job(tenant_id, mailbox_id)
            profile.disable()
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        fake = process_cpu(google.process.pid) - fake_before
        database_used = sum(cpu - database_before.get(pid, 0.0)
                            for pid, cpu in database_cpu(database).items())
    finally:
        google.close()
    assert result["imported"] == args.messages, result
    print(f"{args.messages} messages in {seconds:.2f} s (under the profiler); worker CPU "
          f"{cpu * 1000 / args.messages:.2f} ms/message, the fake's "
          f"{fake * 1000 / args.messages:.2f} ms/message, PostgreSQL's "
          f"{database_used * 1000 / args.messages:.2f} ms/message")
    if args.out:
        profile.dump_stats(args.out)
    for statement, times in statements.most_common():
        print(f"{times:6d}  {statement}")
    stats = pstats.Stats(profile).strip_dirs()
    stats.sort_stats("tottime").print_stats(args.top)
    stats.sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
