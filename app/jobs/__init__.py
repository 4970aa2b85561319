"""Background jobs on RQ: the Redis connection, the queues, and running a job in its tenant."""
from functools import wraps

from flask import current_app
from redis import Redis
from rq import Queue

QUEUES = ("default", "mail", "notifications")


def redis_connection() -> Redis:
    return current_app.extensions["redis"]


def queue(name: str = "default") -> Queue:
    return Queue(name, connection=redis_connection())


def enqueue(func, *args, queue_name: str = "default", **kwargs):
    """Enqueue ``func`` (a ``tenant_job`` takes the tenant id as its first argument)."""
    return queue(queue_name).enqueue(func, *args, **kwargs)


def _app():
    from flask import has_app_context

    if has_app_context():
        return None
    from app import create_app

    return create_app()


def tenant_job(func):
    """Run ``func(tenant_id, *ids)`` inside an app context, that tenant's context and a fresh
    session; commit on success, roll back on error. Jobs take ids, never objects."""

    @wraps(func)
    def run(tenant_id: int, *args, **kwargs):
        from app.extensions import db
        from tenants.context import tenant_scope

        app = _app()
        ctx = app.app_context() if app is not None else None
        if ctx is not None:
            ctx.push()
        try:
            with tenant_scope(tenant_id):
                try:
                    result = func(tenant_id, *args, **kwargs)
                    db.session.commit()
                    return result
                except Exception:
                    db.session.rollback()
                    raise
        finally:
            if ctx is not None:
                db.session.remove()
                ctx.pop()

    return run


def platform_job(func):
    """Run a platform-wide job (daily billing …) inside an app context."""

    @wraps(func)
    def run(*args, **kwargs):
        from app.extensions import db

        app = _app()
        ctx = app.app_context() if app is not None else None
        if ctx is not None:
            ctx.push()
        try:
            result = func(*args, **kwargs)
            db.session.commit()
            return result
        except Exception:
            db.session.rollback()
            raise
        finally:
            if ctx is not None:
                db.session.remove()
                ctx.pop()

    return run
