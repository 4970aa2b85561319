"""Per-request wiring: resolve the tenant once, pick the language, render errors."""
from flask import (
    current_app,
    g,
    has_request_context,
    jsonify,
    render_template,
    request,
    session,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from app.api.core import error_payload
from app.auth.tokens import staff_for_token
from app.errors import BadRequest, Conflict, ServiceError
from app.extensions import db, login_manager
from tenants import context

LANGUAGES = ("en", "ru", "kk")
HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 409: "conflict", 413: "too_large",
              415: "unsupported_media_type", 422: "validation_error", 429: "rate_limited"}


def _is_json_request() -> bool:
    return request.path.startswith(("/api/", "/widget/", "/billing/stripe/", "/healthz"))


@login_manager.user_loader
def _load_staff(user_id: str):
    from app.staff.models import Staff

    try:
        tenant_id, staff_id = (int(part) for part in user_id.split(":"))
    except ValueError:
        return None
    context.set_tenant(tenant_id)
    staff = db.session.get(Staff, staff_id)
    return staff if staff is not None and staff.active else None


def _resolve_tenant() -> None:
    """Wall one: set the tenant context once, from the token (API) or the staff session."""
    context.clear()
    g.api_staff = None
    if request.path.startswith("/api/"):
        header = request.headers.get("Authorization", "")
        if header.lower().startswith("bearer "):
            g.api_staff = staff_for_token(header[7:].strip())
            if g.api_staff is None:
                context.clear()
        return
    if request.path.startswith("/static/"):
        return
    if current_user.is_authenticated:
        context.set_tenant(current_user.tenant_id)


def _language_of(user) -> str | None:
    if user is not None and getattr(user, "language", None) in LANGUAGES:
        return user.language
    return None


def select_locale() -> str:
    if not has_request_context():
        return "en"  # jobs and commands choose a language explicitly (force_locale)
    lang = request.args.get("lang")
    if lang in LANGUAGES:
        session["lang"] = lang
        return lang
    user = g.get("api_staff") or (current_user if current_user.is_authenticated else None)
    chosen = _language_of(user) or session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    tenant = g.get("tenant")
    if tenant is None and context.current_tenant_id() is not None:
        from tenants.resolve import current_tenant

        tenant = current_tenant()
    if tenant is not None and tenant.language in LANGUAGES:
        return tenant.language
    return request.accept_languages.best_match(LANGUAGES) or "en"


def select_timezone() -> str:
    from tenants.resolve import current_tenant

    if not has_request_context():
        return "UTC"
    tenant = current_tenant() if context.current_tenant_id() is not None else None
    return tenant.timezone if tenant is not None else "UTC"


def _service_error(exc: ServiceError):
    db.session.rollback()
    if _is_json_request():
        return jsonify(error_payload(exc)), exc.status
    return render_template("error.html", status=exc.status, message=exc.message), exc.status


def _http_error(exc: HTTPException):
    if not _is_json_request():
        return render_template("error.html", status=exc.code, message=exc.description), exc.code
    code = HTTP_CODES.get(exc.code, "error")
    message = {404: _("Not found."), 405: _("Method not allowed."),
               413: _("The request is too large.")}.get(exc.code, exc.description)
    response = jsonify({"error": {"code": code, "message": str(message)}})
    response.status_code = exc.code
    return response  # Flask-Limiter adds Retry-After to 429s (headers_enabled)


class _IdConverter(IntegerConverter):
    """``<int:…>`` limited to BIGINT, so an absurd id is a 404, not a database error."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(map, *args, **kwargs)


def _reject_nul() -> None:
    """Text with NUL characters can't be stored (PostgreSQL refuses it): a clear 400."""
    for values in (request.args, request.form):
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
    app.url_map.converters["int"] = _IdConverter
    app.before_request(_reject_nul)
    app.before_request(_resolve_tenant)
    app.register_error_handler(IntegrityError, _database_error)
    app.register_error_handler(DataError, _database_error)
    app.teardown_request(lambda exc: context.clear())
    app.register_error_handler(ServiceError, _service_error)
    app.register_error_handler(HTTPException, _http_error)
    login_manager.login_view = "web.find_tenant"
    login_manager.login_message = None
    login_manager.session_protection = "strong"
