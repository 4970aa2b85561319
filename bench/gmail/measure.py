"""Benchmark: Gmail import from the local fake Google, in one worker process.

    .venv/bin/python bench/gmail/measure.py [--messages 2000] [--memory 10000]

1. import rate: a first sync of ``--messages`` letters (fetch in batches of 50 + parse +
   store + ticket, one transaction a batch) — messages per second per worker
   (target ≥ 300/s);
2. an incremental sync with nothing new: median and p95 of 50 runs (target < 50 ms);
3. memory: a worker process running a first sync of ``--memory`` letters — its resident
   size before the sync and its peak (it must not hold the mailbox in memory).
The fake Google runs in a process of its own (fake_process.py) on the same machine; the
load average is printed beside the figures, as the machine's other work slows the database,
and so is the CPU the database's backends and the fake spent per message (the worker waits
for both). BENCH_DATABASE names the benchmark's database (see common.py).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

from common import (
    BOX,
    ROOT,
    RemoteFake,
    connected_tenant,
    database_cpu,
    fresh_app,
    process_cpu,
    settings,
)

from app.mailbox.jobs import sync_mailbox_job
from tests.fakes.google_server import FakeGoogle


def import_rate(app, google, count: int) -> dict:
    tenant_id, mailbox_id = connected_tenant(app, google)
    database = os.environ["TEST_DATABASE_NAME"]
    with app.app_context():
        fake, backends = process_cpu(google.process.pid), database_cpu(database)
        started, cpu = time.perf_counter(), time.process_time()
        result = sync_mailbox_job(tenant_id, mailbox_id)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        fake = process_cpu(google.process.pid) - fake
        backends = sum(used - backends.get(pid, 0.0)
                       for pid, used in database_cpu(database).items())
    assert result["imported"] == count, result
    return {"messages": count, "seconds": round(seconds, 2),
            "per_second": round(count / seconds, 1), "ids": (tenant_id, mailbox_id),
            "cpu_ms": round(cpu * 1000 / count, 2),
            "database_ms": round(backends * 1000 / count, 2),
            "fake_ms": round(fake * 1000 / count, 2)}


def idle_sync(app, tenant_id: int, mailbox_id: int, runs: int = 50) -> dict:
    timings = []
    with app.app_context():
        sync_mailbox_job(tenant_id, mailbox_id)  # warm: token, discovery document
        for _ in range(runs):
            started = time.perf_counter()
            result = sync_mailbox_job(tenant_id, mailbox_id)
            timings.append((time.perf_counter() - started) * 1000)
            assert result["mode"] == "incremental" and result["imported"] == 0, result
    timings.sort()
    return {"runs": runs, "median_ms": round(statistics.median(timings), 1),
            "p95_ms": round(timings[int(runs * 0.95) - 1], 1)}


def memory(app, count: int) -> dict:
    box = "big@bench.example"
    google = RemoteFake(box, count)
    try:
        app.config.update(settings(google))
        tenant_id, mailbox_id = connected_tenant(app, google, slug="bench-gmail-big", box=box)
        child = subprocess.run(
            [sys.executable, str(ROOT / "bench/gmail/worker_memory.py"), str(tenant_id),
             str(mailbox_id), json.dumps(settings(google))],
            capture_output=True, text=True, check=True)
    finally:
        google.close()
    return json.loads(child.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--memory", type=int, default=10000)
    args = parser.parse_args()
    with FakeGoogle() as placeholder:  # the app's first settings; each step has its own fake
        app = fresh_app(placeholder)
    google = RemoteFake(BOX, args.messages)
    try:
        app.config.update(settings(google))
        rate = import_rate(app, google, args.messages)
        print(f"import: {rate['messages']} messages in {rate['seconds']} s = "
              f"{rate['per_second']} messages/s per worker (target >= 300); "
              f"{rate['cpu_ms']} ms of the worker's CPU per message; "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs", flush=True)
        print(f"  CPU per message elsewhere: PostgreSQL {rate['database_ms']} ms, the fake "
              f"Google {rate['fake_ms']} ms", flush=True)
        idle = idle_sync(app, *rate["ids"])
        print(f"incremental sync, nothing new: median {idle['median_ms']} ms, "
              f"p95 {idle['p95_ms']} ms over {idle['runs']} runs (target < 50 ms)", flush=True)
    finally:
        google.close()
    if args.memory:
        mem = memory(app, args.memory)
        print(f"worker memory, first sync of {mem['messages']} messages: "
              f"{mem['rss_before_mb']} MB before, peak {mem['peak_rss_mb']} MB "
              f"(+{mem['growth_mb']} MB), {mem['seconds']} s", flush=True)


if __name__ == "__main__":
    main()
