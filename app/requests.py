"""Per-request wiring: resolve the tenant once, pick the language, render errors."""
from urllib.parse import parse_qsl

import werkzeug.urls  # noqa: F401  (registers the "werkzeug.url_quote" decoding errors)
from flask import Request as FlaskRequest
from flask import (
    current_app,
    g,
    has_request_context,
    jsonify,
    make_response,
    request,
    session,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException, InternalServerError, NotFound
from werkzeug.routing import IntegerConverter
from werkzeug.utils import cached_property

from app import unit_of_work
from app.api.core import error_payload
from app.api.limits import INT64
from app.auth.sessions import staff_for_session
from app.auth.tokens import staff_for_token
from app.error_pages import http_error_page, server_error_page, service_error_page
from app.errors import BadRequest, Conflict, ServiceError
from app.extensions import db, login_manager
from app.languages import DEFAULT_LANGUAGE, LANGUAGES
from tenants import context
from tenants.resolve import current_tenant, tenant_by_slug

HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 409: "conflict", 413: "too_large",
              415: "unsupported_media_type", 422: "validation_error", 429: "rate_limited"}


def _is_json_request() -> bool:
    return request.path.startswith(("/api/", "/widget/", "/billing/stripe/", "/healthz"))


# Requests that are platform work, not any one tenant's: they run on the platform connection.
PLATFORM_BLUEPRINTS = frozenset({"operator", "stripe_webhook", "metrics"})


@login_manager.user_loader
def _load_staff(user_id: str):
    """The signed-in staff member, within the request's tenant: a session cookie of another
    tenant (or on the operator's pages) is simply not signed in here. The id
    (``<tenant>:<staff>:<session key>``) names a login session, which must still be open:
    after a logout or a password change every copy of the cookies is signed out."""
    try:
        tenant, staff, key = user_id.split(":")
        tenant_id, staff_id = int(tenant), int(staff)
    except ValueError:
        return None
    if context.on_platform_connection() or not key:
        return None
    current = context.current_tenant_id()
    if current is None and g.get("view_resolves_tenant"):
        return None  # not before the view entered the tenant its input names
    if current is None:
        context.set_tenant(tenant_id)
    elif current != tenant_id:
        return None
    return staff_for_session(staff_id, key, ip=request.remote_addr)


def _resolve_tenant() -> None:
    """Wall one, in one place: the request's tenant from the bearer token (API), the
    address (a tenant's public pages such as ``/t/<slug>/login``) or the staff session."""
    context.clear()
    g.api_staff = None
    g.tenant = None
    if request.path.startswith("/static/"):
        return
    if request.blueprint in PLATFORM_BLUEPRINTS:
        context.use_platform_connection()
        return
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, "resolves_own_tenant", False):
        g.view_resolves_tenant = True
        return  # signup, invitation and reset links: the view enters the tenant it finds
    if request.path.startswith("/api/"):
        header = request.headers.get("Authorization", "")
        if header.lower().startswith("bearer "):
            g.api_staff = staff_for_token(header[7:].strip())
        return
    slug = (request.view_args or {}).get("slug")
    if slug is not None:
        g.tenant = tenant_by_slug(slug)
        return
    current_user.is_authenticated  # noqa: B018  (loads the session's staff, entering its tenant)


def _language_of(user) -> str | None:
    if user is not None and getattr(user, "language", None) in LANGUAGES:
        return user.language
    return None


def select_locale() -> str:
    if not has_request_context():
        return DEFAULT_LANGUAGE  # jobs and commands choose a language explicitly (force_locale)
    lang = request.args.get("lang")
    if lang in LANGUAGES:
        if not current_app.session_interface.is_null_session(session):
            session["lang"] = lang
        return lang
    user = g.get("api_staff") or (current_user if current_user.is_authenticated else None)
    chosen = _language_of(user) or session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    tenant = g.get("tenant")
    if tenant is None and context.current_tenant_id() is not None:
        tenant = current_tenant()
    if tenant is not None and tenant.language in LANGUAGES:
        return tenant.language
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE


def select_timezone() -> str:
    if not has_request_context():
        return "UTC"
    tenant = current_tenant() if context.current_tenant_id() is not None else None
    return tenant.timezone if tenant is not None else "UTC"


def _service_error(exc: ServiceError):
    if exc.keep_changes:
        unit_of_work.commit()
    else:
        db.session.rollback()
    if _is_json_request():
        response = make_response(jsonify(error_payload(exc)), exc.status)
    else:
        response = make_response(service_error_page(exc))
    if getattr(exc, "retry_after", None):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


def _http_error(exc: HTTPException):
    if not _is_json_request():
        return http_error_page(exc)
    code = HTTP_CODES.get(exc.code, "error")
    message = {404: _("Not found."), 405: _("Method not allowed."),
               413: _("The request is too large.")}.get(exc.code, exc.description)
    response = jsonify({"error": {"code": code, "message": str(message)}})
    response.status_code = exc.code
    return response  # Flask-Limiter adds Retry-After to 429s (headers_enabled)


def _server_error(exc: InternalServerError):
    """An unexpected exception (unless PROPAGATE_EXCEPTIONS re-raises it, as in tests)."""
    if _is_json_request():
        db.session.rollback()
        return _http_error(exc)
    return server_error_page(exc)


class _IdConverter(IntegerConverter):
    """``<int:…>`` for BIGINT ids: a larger number names no row, so it is a 404.

    The 404 is raised here rather than by a ``max=`` bound: werkzeug checks the bound only
    after choosing the rule, and when a rule for another method on the same path was seen
    first it answers 405 instead (GET /x/<huge> was a 404, PATCH and DELETE were 405)."""

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        if number > INT64:
            raise NotFound()
        return number


_FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


class Request(FlaskRequest):
    """Flask's request, whose query never fails to read: bytes that are not UTF-8 stay
    percent-encoded, as werkzeug already keeps an escape that does not decode (its own
    ``args`` raises, and every page would answer 500 to such an address)."""

    @cached_property
    def args(self) -> MultiDict:
        return self.parameter_storage_class(parse_qsl(
            self.query_string.decode("utf-8", "werkzeug.url_quote"), keep_blank_values=True,
            errors="werkzeug.url_quote"))


def _reject_nul() -> None:
    """Text with NUL characters can't be stored (PostgreSQL refuses it): a clear 400."""
    sources = [request.args]
    if request.mimetype in _FORM_TYPES:  # JSON: app.api.core checks its text
        sources.append(request.form)
    for values in sources:
        if any("\x00" in value for value in values.values()):
            raise BadRequest(_("The request contains a NUL character."))


def _database_error(exc: DBAPIError):
    """Safety net: a constraint the service did not foresee is a conflict, not a 500."""
    db.session.rollback()
    current_app.logger.warning("database refused a request: %s", exc.orig)
    error = Conflict() if isinstance(exc, IntegrityError) else BadRequest(
        _("The database refused this value."))
    return _service_error(error)


def init_app(app) -> None:
    app.request_class = Request
    app.url_map.converters["int"] = _IdConverter
    app.before_request(_reject_nul)
    app.before_request(_resolve_tenant)
    app.register_error_handler(IntegrityError, _database_error)
    app.register_error_handler(DataError, _database_error)
    app.teardown_request(lambda exc: context.clear())
    app.register_error_handler(ServiceError, _service_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(InternalServerError, _server_error)
    login_manager.login_view = "web.find_tenant"
    login_manager.login_message = None
    login_manager.session_protection = "strong"
