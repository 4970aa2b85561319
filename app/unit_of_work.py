"""One unit of work: a request or a job commits once, in one place, and what leaves the
process (letters, jobs, calls out) leaves only after that commit.

- ``init_app`` wraps every view: it commits when the view returns, never when it raises
  (the error handlers roll back). Views, API handlers and services do not commit.
- ``after_commit(fn)`` runs ``fn`` once the current transaction commits; a rollback drops it,
  so a failed request sends nothing.
- ``on_rollback(fn)`` runs ``fn`` if the transaction ends without a commit, e.g. to remove
  the bytes of an attachment whose row was never stored.
- ``after_commit_batched(key, item, flush)`` gathers the items of one kind a transaction
  produces and hands them to ``flush`` together after the commit (the jobs of a request leave
  in one round trip).
- ``for_each_tenant`` is the loop of platform jobs: one tenant's step, one commit.
"""
import logging
from functools import wraps

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db
from tenants.context import tenant_scope

log = logging.getLogger(__name__)
_AFTER_COMMIT = "after_commit"
_ON_ROLLBACK = "on_rollback"
_BATCHES = "after_commit_batches"


def _session():
    return db.session()


def _pending(session, key: str) -> list:
    session = session or _session()
    if not session.in_transaction():
        session.begin()  # so that a rollback before any statement still ends it (and drops fn)
    return session.info.setdefault(key, [])


def after_commit(fn, *, session=None) -> None:
    """Run ``fn()`` after the session's transaction commits (dropped on rollback)."""
    _pending(session, _AFTER_COMMIT).append(fn)


def on_rollback(fn, *, session=None) -> None:
    """Run ``fn()`` if the session's transaction ends without committing."""
    _pending(session, _ON_ROLLBACK).append(fn)


def after_commit_batched(key: str, item, flush, *, session=None) -> None:
    """Add ``item`` to the transaction's batch ``key``; once the transaction commits,
    ``flush(items)`` runs once with the whole batch, in the place of the batch's first item
    among the after-commit callbacks (dropped on rollback, like them)."""
    session = session or _session()
    _pending(session, _AFTER_COMMIT)  # opens the transaction the batch belongs to
    batches = session.info.setdefault(_BATCHES, {})
    items = batches.get(key)
    if items is None:
        items = batches[key] = []
        after_commit(lambda: flush(items), session=session)
    items.append(item)


def _run(callbacks: list, what: str) -> None:
    for fn in callbacks:
        try:
            fn()
        except Exception:  # one failed side effect must not stop the others
            log.exception("%s callback %r failed", what, fn)


@event.listens_for(Session, "after_commit")
def _committed(session):
    session.info.pop(_ON_ROLLBACK, None)
    session.info.pop(_BATCHES, None)  # their flushes are among the callbacks below
    _run(session.info.pop(_AFTER_COMMIT, []), "after-commit")


@event.listens_for(Session, "after_transaction_end")
def _ended(session, transaction):
    if transaction.parent is not None or transaction.nested:
        return  # a savepoint: its outer transaction decides
    # Still here after the outermost transaction ended: it did not commit.
    session.info.pop(_AFTER_COMMIT, None)
    session.info.pop(_BATCHES, None)
    _run(session.info.pop(_ON_ROLLBACK, []), "on-rollback")


def _nothing_to_commit(session) -> bool:
    """No transaction, no pending change and nothing waiting for a commit: committing would
    only begin and end an empty transaction (and fire the session's events for nothing)."""
    return not (session.in_transaction() or session.new or session.dirty or session.deleted
                or session.info.get(_AFTER_COMMIT) or session.info.get(_BATCHES))


def commit() -> None:
    """Commit the unit of work (the view wrapper and the job runner call this); a request
    that never used the database (no session, or one with nothing to commit) skips it."""
    scoped = db.session
    if not scoped.registry.has():
        return  # no session was made in this context: the database was never touched
    session = scoped()
    if _nothing_to_commit(session):
        return
    session.commit()


def _committing(view):
    @wraps(view)
    def run(*args, **kwargs):
        response = view(*args, **kwargs)
        commit()
        return response

    return run


def init_app(app) -> None:
    """Wrap every registered view so that the request commits once, when it succeeded."""
    for name, view in list(app.view_functions.items()):
        app.view_functions[name] = _committing(view)


def for_each_tenant(tenant_ids, step) -> list:
    """Run ``step(tenant_id)`` in each tenant's scope, committing after each: one tenant's
    failure rolls back that tenant's step only, and is logged. Returns the steps' results."""
    results = []
    session = _session()
    for tenant_id in tenant_ids:
        try:
            with tenant_scope(tenant_id):
                results.append(step(tenant_id))
                session.commit()
        except Exception:
            session.rollback()
            log.exception("tenant %s: step %r failed", tenant_id, step)
    return results
