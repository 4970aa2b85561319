"""Small platform jobs."""
from datetime import UTC, datetime

from app.jobs import platform_job, redis_connection


@platform_job
def heartbeat() -> str:
    """Record that the worker and cron are alive (shown by /healthz?details)."""
    stamp = datetime.now(UTC).isoformat()
    redis_connection().set("helpdesk:heartbeat", stamp, ex=3600)
    return stamp
