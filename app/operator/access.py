"""Who may use the console: whoever entered ``OPERATOR_TOKEN`` in this browser session.

Without the setting every /operator/ URL is a 404. A browser signed in as a tenant's staff
member gets a 404 too (the console does not exist for staff), and a browser in the
operator's session is refused by the tenants' pages (``refuse_operator_on_tenant_pages``).
"""
import hashlib
import hmac
from functools import wraps

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from app.extensions import limiter
from tenants import context

bp = Blueprint("operator", __name__, url_prefix="/operator")
SESSION_KEY = "operator"
STAFF_SESSION_KEY = "_user_id"  # Flask-Login's: a tenant's staff member signed in here
TENANT_PAGES = ("/app/",)


def _fingerprint(token: str) -> str:
    return hashlib.sha256(("operator:" + token).encode()).hexdigest()


def _is_staff_browser() -> bool:
    """A tenant's staff member is signed in here (a session, or a "remember me" cookie)."""
    remember = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    return bool(session.get(STAFF_SESSION_KEY) or request.cookies.get(remember))


def _token() -> str:
    token = current_app.config.get("OPERATOR_TOKEN") or ""
    if not token or _is_staff_browser():
        abort(404)  # no console, or a tenant's staff member: it does not exist for them
    return token


def is_operator() -> bool:
    token = current_app.config.get("OPERATOR_TOKEN") or ""
    return bool(token) and hmac.compare_digest(session.get(SESSION_KEY, ""),
                                               _fingerprint(token))


def operator_page(fn):
    @wraps(fn)
    def view(*args, **kwargs):
        _token()
        if not is_operator():
            return redirect(url_for("operator.login"))
        with context.platform_scope():  # PLATFORM-WIDE: the operator works across tenants
            return fn(*args, **kwargs)

    return view


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    token = _token()
    if request.method == "POST":
        if hmac.compare_digest(request.form.get("token", "").encode(), token.encode()):
            session.clear()  # nothing of another login survives into the operator's session
            session[SESSION_KEY] = _fingerprint(token)
            return redirect(url_for("operator.index"))
        flash(_("That is not the operator token."), "error")
        return render_template("operator/login.html"), 401
    return render_template("operator/login.html")


@bp.post("/logout")
def logout():
    session.pop(SESSION_KEY, None)
    return redirect(url_for("operator.login"))


def refuse_operator_on_tenant_pages():
    """``before_request``: the operator's browser session is no tenant's staff session; the
    tenants' pages refuse it (403) rather than show a login form it cannot use."""
    if request.path.startswith(TENANT_PAGES) and session.get(SESSION_KEY):
        abort(403, _("The operator console's session cannot use a company's pages. "
                     "Leave the console first."))
