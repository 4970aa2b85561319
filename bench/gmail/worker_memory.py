"""A worker process for measure.py: one first sync, and its memory before and at the peak
(ru_maxrss). Prints one JSON line."""
import json
import resource
import sys
import time

from common import settings  # noqa: F401  (sets the benchmark's database and Redis)

from app import create_app
from app.config import TestConfig
from app.mailbox.jobs import sync_mailbox_job


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    tenant_id, mailbox_id = int(sys.argv[1]), int(sys.argv[2])
    app = create_app(TestConfig(**json.loads(sys.argv[3])))
    with app.app_context():
        before = _rss_mb()
        started = time.perf_counter()
        result = sync_mailbox_job(tenant_id, mailbox_id)
        seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"messages": result["imported"], "rss_before_mb": round(before, 1),
                      "peak_rss_mb": round(peak, 1), "growth_mb": round(peak - before, 1),
                      "seconds": round(seconds, 1)}))


if __name__ == "__main__":
    main()
