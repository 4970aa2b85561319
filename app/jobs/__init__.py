"""Background jobs on RQ: the Redis connection, the queues, and running a job in its tenant."""
import logging
from contextlib import contextmanager
from functools import wraps

from flask import current_app, has_app_context
from redis import Redis
from rq import Queue, Retry, get_current_job

from app.extensions import db
from app.telemetry.context import current_request_id, request_id_bound
from app.unit_of_work import after_commit_batched
from tenants.context import platform_connection, tenant_scope

log = logging.getLogger(__name__)
QUEUES = ("default", "mail", "notifications")


def redis_connection() -> Redis:
    return current_app.extensions["redis"]


def queue(name: str = "default") -> Queue:
    return Queue(name, connection=redis_connection())


def enqueue(func, *args, queue_name: str = "default", retry: Retry | None = None,
            **kwargs) -> None:
    """Enqueue ``func`` once the current transaction commits (a ``tenant_job`` takes the
    tenant id as its first argument). A rolled-back request or job enqueues nothing, and a
    job never starts before the rows it reads are committed. The jobs of one transaction
    leave together, in one round trip to Redis. The job's meta carries the request id, so
    its log lines name the request that asked for it."""
    data = Queue.prepare_data(func, args, kwargs, retry=retry,
                              meta={"request_id": current_request_id()})
    after_commit_redis(lambda pipe: Queue(queue_name, connection=redis_connection())
                       .enqueue_many([data], pipeline=pipe))


def after_commit_redis(write) -> None:
    """``write(pipeline)`` adds its commands to the one Redis round trip the unit of work
    makes after its commit, with its jobs (dropped on rollback)."""
    after_commit_batched("redis", write, _send)


def _send(writes: list) -> None:
    with redis_connection().pipeline() as pipe:
        for write in writes:
            try:
                write(pipe)
            except Exception:  # one job that can't be written must not hold back the others
                log.exception("after-commit Redis write %r failed", write)
        pipe.execute()


def _app():
    if has_app_context():
        return None
    # A job run outside a worker's app context (``rq worker`` started on its own) builds the
    # app. The factory sits above everything that enqueues jobs: this is the one upward
    # import, made here, where it is used (``.importlinter`` ignores exactly this edge).
    from app import create_app

    return create_app()


@contextmanager
def _job_context():
    """An app context (the worker's, or a new one) and a session that ends with the job: in a
    worker, objects of one job (one tenant) never linger in the next job's identity map."""
    app = _app()
    ctx = app.app_context() if app is not None else None
    if ctx is not None:
        ctx.push()
    job = get_current_job()
    try:
        with request_id_bound((job.meta.get("request_id") if job is not None else None)
                              or current_request_id()):
            yield db.session
    finally:
        if ctx is not None or job is not None:
            db.session.remove()
        if ctx is not None:
            ctx.pop()


def _committed(session, func, *args, **kwargs):
    try:
        result = func(*args, **kwargs)
        session.commit()
        return result
    except Exception:
        session.rollback()
        raise


def tenant_job(func):
    """Run ``func(tenant_id, *ids)`` inside an app context, that tenant's context and a fresh
    session; commit on success, roll back on error. Jobs take ids, never objects."""

    @wraps(func)
    def run(tenant_id: int, *args, **kwargs):
        with _job_context() as session, tenant_scope(tenant_id):
            return _committed(session, func, tenant_id, *args, **kwargs)

    return run


def platform_job(func):
    """Run a platform-wide job (daily billing, sweeps …) inside an app context, on the
    platform's database connection."""

    @wraps(func)
    def run(*args, **kwargs):
        with platform_connection(), _job_context() as session:
            return _committed(session, func, *args, **kwargs)

    return run
