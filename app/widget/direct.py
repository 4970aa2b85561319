"""The widget's busiest request served directly: ``POST /widget/<key>/tickets`` with a
urlencoded form (what the widget sends when there are no files) or JSON, answered below
Flask's request machinery when all goes as expected, and handed to the Flask view otherwise.

A visitor's request is the one public write that any site's traffic drives, and the full
machinery around a view (request context, session cookie, locale, rate-limit extension,
hooks) costs more than the request's own work. This WSGI middleware (installed by the
area's wiring) takes the same steps with the same code as the view: the key's tenant as this
process remembers it, the rate limits and the settings' versions in one Redis round trip
(``limits.count_intake``), the origin, the size, ``app.widget.lean``'s checks and its one
statement; and answers 201 with what the view's answer carries: the JSON, the security
headers of the ``widget.tickets`` endpoint, CORS and ``Vary``, ``X-Request-ID``, the log
line and the request metrics.

Anything else goes to the view with the body as it came and the rate limits already counted
(``limits.COUNTED``): a key this process has not met yet, an origin not allowed, a request
over a limit, a field to correct, the honeypot, a body without a length or over the limit,
another content type (a multipart form carries files), a query other than ``language``, the
embedded default (SQLite), or an error before the request was stored (logged; a database
error then meets the view's own handling). So every refusal, message and language comes
from one place: the view.
"""
import logging
import time
from io import BytesIO
from urllib.parse import parse_qsl

from werkzeug.datastructures import LanguageAccept, MultiDict
from werkzeug.http import parse_accept_header

from app import security, settings_cache, unit_of_work
from app.errors import NotFound, ServiceError
from app.telemetry import access
from app.telemetry.context import reset, sane_or_new, set_request_id
from app.widget import cors, lean, limits, parsing, tenant_keys
from app.widget.settings import current_widget
from tenants import context

log = logging.getLogger(__name__)
ENDPOINT = "widget.tickets"
PREFIX, SUFFIX = "/widget/", "/tickets"
FORM, JSON = "application/x-www-form-urlencoded", "application/json"


def _key(path: str) -> str | None:
    if path.startswith(PREFIX) and path.endswith(SUFFIX):
        key = path[len(PREFIX):-len(SUFFIX)]
        if key and "/" not in key:
            return key
    return None


def _kind(content_type: str | None) -> str | None:
    kind = (content_type or "").partition(";")[0].strip().lower()
    return kind if kind in (FORM, JSON) else None


def _length(environ) -> int | None:
    try:
        length = int(environ.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None
    return length if length >= 0 else None


def _arguments(environ) -> MultiDict | None:
    """The query as the view reads it (``request.args``); None when it holds more than the
    language or a NUL character (the view answers those)."""
    query = environ.get("QUERY_STRING", "").encode("latin-1")
    # As app.requests.Request reads it: bytes that are not UTF-8 stay percent-encoded.
    args = MultiDict(parse_qsl(query.decode("utf-8", "werkzeug.url_quote"),
                               keep_blank_values=True, errors="werkzeug.url_quote"))
    if any(name != "language" or "\x00" in value for name, value in args.items(multi=True)):
        return None
    return args


class DirectIntake:
    """WSGI middleware: the widget's intake served directly, everything else passed on."""

    def __init__(self, app, wrapped):
        self.app = app
        self.wrapped = wrapped

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") == "POST":
            key = _key(environ.get("PATH_INFO") or "")
            if key is not None:
                answer = self._serve(environ, key)
                if answer is not None:
                    headers, body = answer
                    start_response("201 CREATED", headers)
                    return [body]
        return self.wrapped(environ, start_response)

    def _serve(self, environ, key: str) -> tuple[list, bytes] | None:
        """The 201 answer's headers and body, or None to hand the request to the view."""
        tenant_id = tenant_keys.known(key)
        kind = _kind(environ.get("CONTENT_TYPE"))
        length = _length(environ)
        if tenant_id is None or kind is None or length is None:
            return None
        started = time.perf_counter()
        with self.app.app_context():
            request_id = sane_or_new(environ.get("HTTP_X_REQUEST_ID"))
            token = set_request_id(request_id)
            try:
                with context.tenant_scope(tenant_id), settings_cache.versions_pinned():
                    try:
                        answer = self._intake(environ, key, tenant_id, kind, length)
                    except Exception:
                        log.exception("widget intake handed to the view after an error")
                        return None
                    if answer is None:
                        return None
                    stored, origin = answer
                    # As jsonify writes it, with the headers the view's answer gets.
                    body = (self.app.json.dumps({
                        "number": stored.number, "status_url": stored.status_url,
                        "deferred": stored.deferred}, separators=(",", ":")) + "\n").encode()
                    headers = [("Content-Type", "application/json"),
                               ("Content-Length", str(len(body))),
                               *security.headers_for(ENDPOINT),
                               *(cors.headers(origin, preflight=False) if origin else ()),
                               ("Vary", "Origin"), ("X-Request-ID", request_id)]
                    access.answered(ENDPOINT, "POST", 201, time.perf_counter() - started)
                    return headers, body
            finally:
                reset(token)

    def _intake(self, environ, key: str, tenant_id: int, kind: str, length: int):
        """(the stored request, the origin), or None for the view. Counting the request is
        its first step and storing it the last: nothing in between writes."""
        counted = limits.count_intake(key, address=str(environ.get("REMOTE_ADDR")),
                                      read=lean.intake_reads(tenant_id))
        environ[limits.COUNTED] = counted
        drain_seen_at = lean.take_reads(tenant_id, counted)
        origin = environ.get("HTTP_ORIGIN")
        args = _arguments(environ)
        if (counted.retry_after or args is None
                or not cors.origin_allowed(origin, current_widget().allowed_origins)):
            return None
        form = lean.intake_form()
        if length > parsing.largest_body(form.attachment_rules):
            return None
        raw = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = BytesIO(raw)  # the view, if it is handed over, reads it all
        try:
            if kind == JSON:
                submission = parsing.json_submission(raw)
            else:
                fields = parsing.urlencoded_form(raw)
                if any("\x00" in value for _name, value in fields.items(multi=True)):
                    return None  # the view refuses NUL characters with a clear 400
                submission = parsing.form_submission(fields)
            if not lean.available(submission):
                return None  # the embedded default's database: the full path
            accepted = parse_accept_header(environ.get("HTTP_ACCEPT_LANGUAGE"), LanguageAccept)
            prepared = lean.prepare(submission=submission, language=lean.visitor_language(
                args.get("language"), accepted))
        except (ServiceError, UnicodeDecodeError):
            return None  # the view says what to correct, in the visitor's language
        if prepared is None:
            return None  # the honeypot: the view answers it
        try:
            stored = lean.store(prepared, widget_key=key, drain_seen_at=drain_seen_at)
        except NotFound:
            return None  # the company is gone (its key forgotten): the view answers 404
        unit_of_work.commit()  # as the view's wrapper does (nothing to commit on a server)
        return stored, origin


def install(app) -> None:
    """Put the direct intake in front of ``app``'s WSGI callable."""
    app.wsgi_app = DirectIntake(app, app.wsgi_app)
