"""What keeping the original letters and labelling the imports costs a first sync: the same
import of ``--messages`` letters from the fake Google (its own process), alternately with
both and with both switched off, ``--runs`` times each; prints the worker's CPU per message
and the rate, medians per mode, and the statements of a batch of 50 on their own.

    .venv/bin/python bench/gmail/originals_cost.py [--messages 500] [--runs 3]
"""
import argparse
import os
import statistics
import time

from common import RemoteFake, connected_tenant, fresh_app, settings
from sqlalchemy import event

from app.extensions import db
from app.mailbox import importer, sync
from app.mailbox.jobs import sync_mailbox_job
from tests.fakes.google_server import FakeGoogle


def one_import(app, count: int, slug: str, *, features: bool) -> dict:
    box = f"{slug}@bench.example"  # each run its own mailbox (the fake dies after each)
    google = RemoteFake(box, count)
    keep, label = importer.original.keep, sync.labels.label_imported
    sent = {"originals": 0, "all": 0}

    def on_statement(conn, cursor, statement, *args):
        sent["all"] += 1
        sent["originals"] += "INSERT INTO gmail_originals" in statement

    try:
        app.config.update(settings(google))
        tenant_id, mailbox_id = connected_tenant(app, google, slug=slug, box=box)
        if not features:
            importer.original.keep = lambda message_id, raw: None
            sync.labels.label_imported = lambda gmail, mailbox_id, ids: True
        with app.app_context():
            engine = db.engine
            event.listen(engine, "before_cursor_execute", on_statement)
            started, cpu = time.perf_counter(), time.process_time()
            result = sync_mailbox_job(tenant_id, mailbox_id)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            event.remove(engine, "before_cursor_execute", on_statement)
        assert result["imported"] == count, result
    finally:
        importer.original.keep, sync.labels.label_imported = keep, label
        google.close()
    return {"cpu_ms": cpu * 1000 / count, "per_second": count / seconds,
            "statements": sent["all"] / count, "originals_inserts": sent["originals"]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with FakeGoogle() as placeholder:
        app = fresh_app(placeholder)
    seen: dict[str, list[dict]] = {"with": [], "without": []}
    for run in range(args.runs):
        for mode in ("without", "with"):
            seen[mode].append(one_import(app, args.messages, f"bench-orig-{mode}-{run}",
                                         features=mode == "with"))
    for mode, runs in seen.items():
        cpu = statistics.median(r["cpu_ms"] for r in runs)
        rate = statistics.median(r["per_second"] for r in runs)
        per = statistics.median(r["statements"] for r in runs)
        inserts = runs[0]["originals_inserts"]
        print(f"{mode} originals and labels: {cpu:.2f} ms of worker CPU per message, "
              f"{rate:.0f} messages/s, {per:.2f} statements per message, "
              f"{inserts} INSERTs into gmail_originals for {args.messages} letters "
              f"(medians of {args.runs}; load {os.getloadavg()[0]:.1f})", flush=True)
    print(f"labelling: one messages.batchModify per batch of {sync.BATCH_SIZE} messages")


if __name__ == "__main__":
    main()
