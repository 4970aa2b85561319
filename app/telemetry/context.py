"""The request id: one per request, taken from ``X-Request-ID`` when it is sane, echoed in
the response, and carried into the jobs the request enqueued (``app.jobs`` puts it into the
job's meta and restores it in the worker), so one id ties a request's log lines to its jobs'.

A ContextVar, like the tenant context: requests, jobs and commands share one mechanism.
"""
import re
import uuid
from contextlib import contextmanager
from contextvars import ContextVar

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

# Letters, digits and ``-._:``, at most 100 characters: a UUID, a hex trace id, a load
# balancer's id. Anything else (spaces, quotes, newlines that could forge log lines) is
# replaced by a fresh id.
_SANE = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")


def sane_or_new(candidate: str | None) -> str:
    """``candidate`` if it is a sane request id, else a new one."""
    if candidate and _SANE.match(candidate):
        return candidate
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    return _request_id.get()


def set_request_id(value: str | None):
    """Set the id for the rest of this request; returns the token for ``reset``."""
    return _request_id.set(value)


def reset(token) -> None:
    _request_id.reset(token)


@contextmanager
def request_id_bound(value: str | None):
    """Act under ``value`` inside the block (a job restoring its request's id)."""
    token = _request_id.set(value)
    try:
        yield
    finally:
        _request_id.reset(token)
