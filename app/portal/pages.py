"""What the portal's pages share: the blueprint, the tenant and visit of a request, the
customer's words for statuses, and the portal's own error pages.

The portal is exempt from the session-cookie CSRF check: a visitor has no account and
perhaps no cookie. Its forms carry a token instead (``links.form_token``, bound to the
link; ``fresh.form_token`` for the fresh-link form), checked by every POST.
"""
from flask import Blueprint, g, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from app.error_pages import PAGES
from app.errors import ServiceError
from app.extensions import db
from app.portal import fresh
from app.portal.look import brand_color
from app.portal.service import LinkRefused, Registering, Visit, open_visit
from tenants.models import Tenant

bp = Blueprint("portal", __name__, url_prefix="/p/<slug>")

# The statuses as a requester reads them.
STATUS_WORDS = {
    "new": _l("Received"), "open": _l("In progress"), "pending": _l("Waiting for your reply"),
    "on_hold": _l("On hold"), "resolved": _l("Solved"), "closed": _l("Closed"),
}
FORM_EXPIRED = _l("This form is out of date. Reload the page and send it again.")


class NoSuchCompany(ServiceError):
    status, code = 404, "not_found"
    default_message = _l("There is no help desk at this address.")


def current_company() -> Tenant:
    """The tenant the address names (entered by the request's set-up); 404 when none."""
    tenant = g.get("tenant")
    if tenant is None:
        raise NoSuchCompany()
    return tenant


def visit_of(token: str) -> Visit:
    current_company()
    return open_visit(token)


def ticket_url(slug: str, token: str, **args) -> str:
    return url_for("portal.ticket", slug=slug, token=token, **args)


def render(template: str, status: int = 200, **values):
    """A portal page: the company's name, colour and language, and a language switch on
    pages that can be reloaded."""
    values.setdefault("tenant", g.get("tenant"))
    brand = brand_color() if values["tenant"] is not None else None
    return render_template(template, status_words=STATUS_WORDS, brand=brand,
                           reloadable=request.method == "GET", **values), status


def refused_page(exc: LinkRefused):
    """No ticket: say whether the link expired or is not valid, offer a fresh one."""
    db.session.rollback()
    tenant = current_company()
    return render("portal/refused.html", exc.status, state=exc.state,
                  old_token=(request.view_args or {}).get("token", ""),
                  email="", errors={}, fresh_token=fresh.form_token(tenant.slug))


REFRESH_SECONDS = 2


def registering_page(exc: Registering):
    """The request is stored, its ticket is being made: say so, and look again shortly."""
    db.session.rollback()
    body, status = render("portal/registering.html", 200, number=exc.number)
    return body, status, {"Refresh": str(REFRESH_SECONDS)}


def error_page(status: int, message=None, headers=None):
    db.session.rollback()
    title, advice = PAGES.get(status) or PAGES[500 if status >= 500 else 400]
    body, code = render("portal/error.html", status, title=title, message=message or advice)
    return body, code, headers or {}


def _service_error(exc: ServiceError):
    own = exc.message is not type(exc).default_message or isinstance(exc, NoSuchCompany)
    return error_page(exc.status, exc.message if own else None)


def _http_error(exc: HTTPException):
    headers = {name: value for name, value in exc.get_headers() if name == "Retry-After"}
    return error_page(exc.code or 500, None, headers)


@bp.after_request
def _not_stored(response):
    """Pages reached through a link's key are the requester's: no cache keeps them."""
    response.headers["Cache-Control"] = "no-store"
    return response


bp.register_error_handler(LinkRefused, refused_page)
bp.register_error_handler(Registering, registering_page)
bp.register_error_handler(ServiceError, _service_error)
bp.register_error_handler(HTTPException, _http_error)
