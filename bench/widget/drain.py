"""The worker's side of bench/widget/intake.py: how fast stored widget requests become
tickets in the inbox, and how long after its answer a visitor's request is there.

- ``drain_all``: after the timed runs (no worker ran), one worker process (``flask worker
  --burst``) makes the tickets of everything stored: tickets per second.
- ``run_with_worker``: a timed run with a worker beside the server, as in production (on the
  same cores): its throughput, the most requests seen waiting, and how long after wrk's last
  request the last one is in the inbox.
- ``paced_lag``: requests at a steady rate below the saturation point, each timed from its
  answer to the moment its ticket is in the inbox (a row of ``tickets`` with its number):
  the drain's lag a visitor sees (median, p95, max).
"""
import http.client
import json
import statistics
import subprocess
import threading
import time

from common import ROOT, WORK, admin
from widget_load import CONTENT_TYPE, ORIGIN, QUERY, intake_body

# What a timed run counts as made: the requests stored (waiting for their ticket) or
# already tickets.
STORED = "(SELECT id FROM tickets UNION ALL SELECT id FROM widget_requests) AS stored"
PACED_RATE = 50  # requests per second
PACED_SECONDS = 10


def waiting(conn) -> int:
    """Stored requests without their ticket yet, and tickets waiting for their completion."""
    return conn.execute("SELECT (SELECT count(*) FROM widget_requests)"
                        " + (SELECT count(*) FROM ticket_completions)").fetchone()[0]


def worker(target, *, burst: bool) -> subprocess.Popen:
    env = {**target.env, "INSTANCE_PATH": str(WORK / "instance")}  # letters stay out of git
    return subprocess.Popen([str(ROOT / ".venv/bin/flask"), "--app", "wsgi", "worker",
                             *(["--burst"] if burst else [])], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def drain_all(target, rows_conn) -> None:
    """One worker process makes the tickets of what the timed runs stored and completes
    them: how long until nothing waits (their letters are queued, not sent)."""
    pending = waiting(rows_conn)
    started = time.monotonic()
    process = worker(target, burst=True)
    try:
        while waiting(rows_conn) and process.poll() is None and time.monotonic() - started < 600:
            time.sleep(0.5)
        seconds = time.monotonic() - started
    finally:
        process.terminate()
        process.wait()
    left = waiting(rows_conn)
    print(f"drain: {pending} waited after the runs; one worker (its start included) made "
          f"{pending - left} tickets in {seconds:.1f} s ({(pending - left) / seconds:.1f}/s), "
          f"{left} left")


def run_with_worker(target, timed) -> None:
    """``timed()`` (one timed run) with a worker making the tickets as they come."""
    process = worker(target, burst=False)
    peak, sampling = [0], threading.Event()
    sampling.set()

    def sample() -> None:
        with admin(target.database) as conn:
            while sampling.is_set():
                peak[0] = max(peak[0], waiting(conn))
                time.sleep(0.5)

    try:
        time.sleep(3)  # the worker is up
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        figures = timed()
        ended = time.monotonic() - 1  # the timed run waits a second after wrk
        sampling.clear()
        sampler.join()
        with admin(target.database) as conn:
            while waiting(conn) and time.monotonic() - ended < 120:
                time.sleep(0.05)
            left = waiting(conn)
        lag = time.monotonic() - ended
    finally:
        process.terminate()
        process.wait()
    print(f"with a worker beside the server (saturating): {figures['rps']:.1f} req/s, p99 "
          f"{figures['p99']:.1f} ms; at most {peak[0]} requests waited for their ticket; the "
          f"last was in the inbox {lag:.2f} s after the last request ({left} still waiting)")


def _send(target, key: str, n: int) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", target.port, timeout=60)
    conn.request("POST", f"/widget/{key}/tickets{QUERY}",
                 intake_body(n, f"widget-paced-{n}@customers.example"),
                 {"Content-Type": CONTENT_TYPE, "Origin": ORIGIN})
    answer = conn.getresponse()
    body = json.loads(answer.read())
    conn.close()
    if answer.status != 201:
        raise SystemExit(f"widget intake answered {answer.status}: {body}")
    return body["number"]


def paced_lag(target) -> None:
    """PACED_RATE requests a second for PACED_SECONDS with a worker running: each one's
    time from its answer until its ticket is in the inbox."""
    with admin(target.database) as conn:
        tenant_of = dict(conn.execute("SELECT widget_key, id FROM tenants"))
    answered: dict[tuple[int, int], float] = {}
    seen: dict[tuple[int, int], float] = {}
    done = threading.Event()

    def watch() -> None:
        with admin(target.database) as conn:
            while not done.is_set() or len(seen) < len(answered):
                waiting_for = [k for k in answered if k not in seen]
                if waiting_for:
                    rows = conn.execute(
                        "SELECT tenant_id, number FROM tickets WHERE (tenant_id, number)"
                        " IN (SELECT * FROM unnest(%s::bigint[], %s::bigint[]))",
                        ([t for t, _ in waiting_for], [n for _, n in waiting_for]))
                    now = time.monotonic()
                    for row in rows:
                        seen.setdefault(tuple(row), now)
                if done.is_set() and time.monotonic() - last[0] > 60:
                    break
                time.sleep(0.01)

    process = worker(target, burst=False)
    last = [time.monotonic()]
    try:
        time.sleep(3)  # the worker is up
        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        keys = list(tenant_of)
        started = time.monotonic()
        for n in range(PACED_RATE * PACED_SECONDS):
            time.sleep(max(0.0, started + n / PACED_RATE - time.monotonic()))
            key = keys[n % len(keys)]
            number = _send(target, key, n)
            answered[(tenant_of[key], number)] = last[0] = time.monotonic()
        done.set()
        watcher.join()
    finally:
        process.terminate()
        process.wait()
    lags = sorted(seen[k] - answered[k] for k in seen)
    if not lags:
        print("paced: no ticket reached the inbox")
        return
    p95 = lags[min(len(lags) - 1, int(len(lags) * 0.95))]
    print(f"paced, {PACED_RATE} requests/s for {PACED_SECONDS} s with a worker: from the "
          f"answer to the ticket in the inbox: median {1000 * statistics.median(lags):.0f} ms, "
          f"p95 {1000 * p95:.0f} ms, max {1000 * lags[-1]:.0f} ms "
          f"({len(answered) - len(seen)} of {len(answered)} not there after 60 s)")
