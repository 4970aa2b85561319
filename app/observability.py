"""Per-request observability: the request id, one JSON log line per request, the request
metrics, and ``GET /metrics`` (Bearer ``METRICS_TOKEN``; 404 when unset, 401 otherwise).

The work per request is a clock reading, a counter and a histogram update and one log line
(a few microseconds against a few milliseconds of a ticket's creation; see README).
"""
import hmac
import time

from flask import Blueprint, Response, current_app, g, request
from rq import Queue
from sqlalchemy import func, select

from app.db_types import utcnow
from app.extensions import db
from app.jobs import QUEUES, redis_connection
from app.mailbox.models import Mailbox
from app.telemetry import access, logs, metrics
from app.telemetry.context import sane_or_new, set_request_id
from app.tickets.signals import ticket_drafted
from app.unit_of_work import after_commit
from tenants import context
from tenants.models import Tenant

bp = Blueprint("metrics", __name__)


# The hooks below run on every request: each reads ``g`` and ``request`` through their proxies
# once and works on the objects themselves.

def _start() -> None:
    started = time.perf_counter()
    request_id = sane_or_new(request.headers.get("X-Request-ID"))
    here = g._get_current_object()
    here.request_started = started
    here.request_id = request_id
    set_request_id(request_id)


def _finish(response):
    here = g._get_current_object()
    started = here.get("request_started")
    if started is None:  # a request that failed before the first hook ran
        return response
    seconds = time.perf_counter() - started
    asked = request._get_current_object()
    endpoint = asked.endpoint or "unmatched"
    method, status = asked.method, response.status_code
    response.headers["X-Request-ID"] = here.request_id
    access.answered(endpoint, method, status, seconds)
    return response


def _forget(_exc) -> None:
    set_request_id(None)


def _unauthorized() -> Response:
    return Response("unauthorized\n", 401, {"WWW-Authenticate": 'Bearer realm="metrics"'},
                    mimetype="text/plain")


@bp.get("/metrics")
def scrape():
    token = current_app.config.get("METRICS_TOKEN") or ""
    if not token:
        return Response("not found\n", 404, mimetype="text/plain")
    header = request.headers.get("Authorization", "")
    given = header[7:].strip() if header.lower().startswith("bearer ") else ""
    if not given or not hmac.compare_digest(given.encode(), token.encode()):
        return _unauthorized()
    with context.platform_scope():  # PLATFORM-WIDE: sources read every tenant's figures
        body, content_type = metrics.render(current_app)
    return Response(body, 200, {"Content-Type": content_type, "Cache-Control": "no-store"})


def _queue_depths():
    connection = redis_connection()
    names = set(QUEUES) | {q.name for q in Queue.all(connection=connection)}
    return [({"queue": name}, len(Queue(name, connection=connection))) for name in sorted(names)]


def _failed_jobs():
    connection = redis_connection()
    names = set(QUEUES) | {q.name for q in Queue.all(connection=connection)}
    return [({"queue": name}, Queue(name, connection=connection).failed_job_registry.count)
            for name in sorted(names)]


def _gmail_sync_lag():
    """Seconds since each connected mailbox last synced (since it was connected, before its
    first sync). Read in platform scope, on the platform connection (the /metrics view)."""
    now = utcnow()
    rows = db.session.execute(
        select(Tenant.slug, func.coalesce(Mailbox.last_sync_at, Mailbox.connected_at))
        .join(Tenant, Tenant.id == Mailbox.tenant_id)
        .where(Mailbox.status == "connected"))
    return [({"tenant": slug}, max((now - synced).total_seconds(), 0.0))
            for slug, synced in rows]


def _count_ticket(_app, *, draft) -> None:
    """Receiver of ``ticket_drafted`` (sent once as each ticket is registered, on every
    channel, in the request that registers it): count the ticket once it is committed. Not
    ``ticket_created``: a widget ticket completes later, in a job, in another process."""
    channel = draft.channel
    after_commit(lambda: metrics.ticket_received(channel))


def init_app(app) -> None:
    logs.configure(app.config.get("LOG_LEVEL") or "INFO")
    # First of the before-request hooks, so the latency includes resolving the tenant.
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_finish)
    app.teardown_request(_forget)
    app.register_blueprint(bp)
    ticket_drafted.connect(_count_ticket, sender=app)
    metrics.add_gauge(app, "helpdesk_queue_depth", "Jobs waiting in each RQ queue",
                      ("queue",), _queue_depths)
    metrics.add_gauge(app, "helpdesk_failed_jobs", "Failed jobs kept in each queue's registry",
                      ("queue",), _failed_jobs)
    metrics.add_gauge(app, "helpdesk_gmail_sync_lag_seconds",
                      "Seconds since each connected Gmail mailbox last synced", ("tenant",),
                      _gmail_sync_lag)
