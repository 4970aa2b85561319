"""The job queues as the operator sees them: depth, failed jobs with their error, retry."""
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from rq import Queue
from rq.exceptions import InvalidJobOperation, NoSuchJobError
from rq.job import Job

from app.audit.service import record_action
from app.errors import NotFound
from app.jobs import QUEUES, redis_connection
from app.unit_of_work import after_commit

FAILED_SHOWN = 50


@dataclass
class QueueState:
    name: str
    waiting: int
    running: int
    scheduled: int
    failed: int


@dataclass
class FailedJob:
    id: str
    queue: str
    function: str
    failed_at: datetime | None
    error: str  # the last line of the traceback: what went wrong
    traceback: str
    request_id: str | None


def _queues() -> list[Queue]:
    connection = redis_connection()
    names = set(QUEUES) | {q.name for q in Queue.all(connection=connection)}
    return [Queue(name, connection=connection) for name in sorted(names)]


def queue_states() -> list[QueueState]:
    return [QueueState(q.name, len(q), q.started_job_registry.count,
                       q.scheduled_job_registry.count, q.failed_job_registry.count)
            for q in _queues()]


def _describe(job: Job, queue: str) -> FailedJob:
    result = job.latest_result()
    trace = (result.exc_string if result is not None else "") or ""
    lines = [line for line in trace.strip().splitlines() if line.strip()]
    return FailedJob(id=job.id, queue=queue, function=job.func_name or "",
                     failed_at=job.ended_at,
                     error=lines[-1] if lines else "", traceback=trace,
                     request_id=(job.meta or {}).get("request_id"))


def failed_jobs(limit: int = FAILED_SHOWN) -> list[FailedJob]:
    """The newest failed jobs of every queue."""
    out = []
    connection = redis_connection()
    for q in _queues():
        ids = q.failed_job_registry.get_job_ids(0, limit - 1, desc=True)
        for job in Job.fetch_many(ids, connection=connection):
            if job is not None:
                out.append(_describe(job, q.name))
    out.sort(key=lambda f: f.failed_at.timestamp() if f.failed_at else 0, reverse=True)
    return out[:limit]


def _requeue(registry, job) -> None:
    try:
        registry.requeue(job)
    except InvalidJobOperation:  # retried meanwhile by someone else: nothing to do
        pass


def retry_job(job_id: str, *, source: str) -> FailedJob:
    """Put a failed job back on its queue (audited). Unknown or not failed: NotFound."""
    connection = redis_connection()
    try:
        job = Job.fetch(job_id, connection=connection)
    except (NoSuchJobError, ValueError):
        raise NotFound(_("No failed job with this id.")) from None
    registry = Queue(job.origin, connection=connection).failed_job_registry
    if job not in registry:
        raise NotFound(_("No failed job with this id."))
    described = _describe(job, job.origin)
    after_commit(lambda: _requeue(registry, job))  # with the audit row, or not at all
    record_action("job.retried", source=source,
                  details={"job_id": job_id, "queue": job.origin, "function": described.function,
                           "error": described.error[:500]})
    return described
