"""The widget's public endpoints under ``/widget/<key>/``: the form's configuration, article
suggestions and articles, the request itself, and the end-of-session beacon.

Every request finds its tenant by the key (a wrong key is a 404), then checks ``Origin``
against the admin's list (403, no CORS headers) before anything else; per-IP and per-key
rate limits answer 429 with ``Retry-After``. Answers are JSON in the visitor's language
(``?language=``, else the widget's setting, the browser's, the tenant's).
"""
import json
from functools import wraps

from flask import Blueprint, current_app, g, jsonify, make_response, request
from flask_babel import force_locale

from app.api.core import error_payload
from app.errors import Forbidden, NotFound, ServiceError
from app.extensions import db, limiter
from app.widget import articles, cors, lean, limits, tenant_keys
from app.widget.form import public_config
from app.widget.intake import receive
from app.widget.parsing import submission_from_request
from app.widget.settings import current_widget
from tenants.resolve import current_tenant

bp = Blueprint("widget", __name__, url_prefix="/widget/<key>")


def _limit(name: str) -> str:
    return current_app.config[name]


@bp.url_value_preprocessor
def _take_key(endpoint, values):
    g.widget_key = (values or {}).pop("key", None)


@bp.url_defaults
def _give_key(endpoint, values):
    if "key" not in values and g.get("widget_key"):
        values["key"] = g.widget_key


@bp.before_request
def _enter_tenant():
    """The key's tenant (remembered by the process, else found and entered in one
    statement), then the origin: nothing is read for a page not allowed. A request is
    counted against the rate limits in the round trip that reads the settings' versions
    (its only Redis round trip before the answer)."""
    tenant_id = tenant_keys.enter_by_key(g.get("widget_key") or "")
    if tenant_id is None:
        raise NotFound()
    if request.endpoint == "widget.tickets" and request.method == "POST":
        # Counted already when the direct intake handed the request over (app.widget.direct).
        g.intake_counted = request.environ.get(limits.COUNTED) or limits.count_intake(
            g.widget_key, read=lean.intake_reads(tenant_id))
        g.drain_seen_at = lean.take_reads(tenant_id, g.intake_counted)
    origin = request.headers.get("Origin")
    if not cors.origin_allowed(origin, current_widget().allowed_origins):
        raise Forbidden()
    g.widget_origin = origin


@bp.after_request
def _cors(response):
    origin = g.get("widget_origin")
    if origin:
        cors.add_headers(response, origin, preflight=request.method == "OPTIONS")
    return cors.vary_on_origin(response)


def visitor_language() -> str:
    if "visitor_language" not in g:
        g.visitor_language = _visitor_language()
    return g.visitor_language


def _visitor_language() -> str:
    return lean.visitor_language(request.args.get("language"), request.accept_languages)


def widget_view(fn):
    """A public widget view: it finds its own tenant (never a staff session's), answers in
    the visitor's language, and turns a service error into JSON there."""

    @wraps(fn)
    def view(*args, **kwargs):
        with force_locale(visitor_language()):
            try:
                return fn(*args, **kwargs)
            except ServiceError as exc:
                db.session.rollback()
                response = make_response(jsonify(error_payload(exc)), exc.status)
                if getattr(exc, "retry_after", None):
                    response.headers["Retry-After"] = str(exc.retry_after)
                return response

    view.resolves_own_tenant = True
    return view


@bp.get("/config")
@limiter.limit(lambda: _limit("WIDGET_READ_RATE_LIMIT"))
@widget_view
def config():
    response = jsonify(public_config(_company()))
    response.cache_control.max_age = 60  # a changed form reaches visitors within a minute
    return response


def _company():
    """The key's company (its row); a company deleted since its key was remembered is a
    404, and the key is looked up again next time."""
    tenant = current_tenant()
    if tenant is None:
        tenant_keys.forget(g.get("widget_key") or "")
        raise NotFound()
    return tenant


@bp.post("/tickets")
@limiter.exempt  # both of its limits are counted in one round trip (app.widget.limits)
@widget_view
def tickets():
    """A JSON request is stored in one statement and made a ticket right after the commit
    (``app.widget.lean``); one with files takes the full path (``app.widget.intake``)."""
    limits.refuse_over(g.intake_counted)
    submission = submission_from_request(lean.intake_form().attachment_rules)
    if lean.available(submission):
        stored = lean.receive(submission=submission, language=visitor_language(),
                              widget_key=g.widget_key, drain_seen_at=g.drain_seen_at)
        return jsonify({"number": stored.number, "status_url": stored.status_url,
                        "deferred": stored.deferred}), 201
    received = receive(submission=submission, language=visitor_language())
    ticket = received.ticket
    return jsonify({"number": ticket.number if ticket else None,
                    "status_url": received.status_url,
                    "deferred": bool(ticket and ticket.deferred)}), 201


@bp.get("/suggest")
@limiter.limit(lambda: _limit("WIDGET_READ_RATE_LIMIT"))
@widget_view
def suggest():
    found = articles.suggestions(_company().id, request.args.get("q", ""), visitor_language())
    return jsonify({"articles": found})


@bp.get("/articles/<int:article_id>")
@limiter.limit(lambda: _limit("WIDGET_READ_RATE_LIMIT"))
@widget_view
def article(article_id: int):
    return jsonify(articles.open_article(_company().id, article_id))


@bp.post("/beacon")
@limiter.limit(lambda: _limit("WIDGET_READ_RATE_LIMIT"))
@widget_view
def beacon():
    """The page's end-of-session report (``navigator.sendBeacon``: a small text body, no
    preflight, the answer unread): ``{"deflected": true, "session": "…"}``."""
    raw = request.get_data(cache=False)[:1024]
    try:
        data = json.loads(raw.decode("utf-8")) if raw else {}
    except (UnicodeDecodeError, ValueError):
        data = {}
    if isinstance(data, dict) and data.get("deflected") is True:
        articles.session_deflected(_company().id, str(data.get("session") or ""))
    return "", 204
