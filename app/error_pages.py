"""Error pages for people (API and widget paths answer JSON elsewhere): the app's own page
in its layout, a friendly translated title and message, and a way back."""
from flask import current_app, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.extensions import db

# Status → (title, what to do). werkzeug's descriptions are English and speak of "the
# server"; a person needs to know what happened and what to do next.
PAGES = {
    400: (_l("The request could not be processed"),
          _l("Go back, reload the page and try again.")),
    401: (_l("Please sign in"), _l("Sign in to see this page.")),
    402: (_l("Not included in your plan"), _l("See the Billing page for what your plan offers.")),
    403: (_l("No access"),
          _l("You don't have access to this page. Ask an administrator if you need it.")),
    404: (_l("Page not found"),
          _l("This page does not exist. It may have been moved or deleted.")),
    405: (_l("This page can't be used this way"),
          _l("Go back and use the page's own buttons and forms.")),
    409: (_l("This conflicts with existing data"), _l("Go back, reload the page and try again.")),
    413: (_l("Too large"),
          _l("What you sent is too large. Attach smaller files or fewer at a time.")),
    422: (_l("Some fields are invalid"), _l("Go back, correct the form and send it again.")),
    429: (_l("Too many requests"),
          _l("Too many requests in a short time. Wait a minute and try again.")),
    500: (_l("Something went wrong"),
          _l("Something went wrong on our side. It has been logged; please try again in a "
             "minute.")),
}
EXPIRED_FORM = _l("The form has expired. Go back, reload the page and send it again.")
# Headers an error keeps on the page (the allowed methods of a 405, a 429's wait).
KEPT_HEADERS = ("Allow", "Retry-After")


def render_error(status: int, message=None, headers=None):
    """The error page for ``status``; ``message`` replaces the generic advice when the
    code that failed knows better (a service error's own message)."""
    title, advice = PAGES.get(status) or PAGES[500 if status >= 500 else 400]
    values = {"status": status, "title": title, "message": message or advice}
    try:
        body = render_template("error.html", **values)
    except Exception:  # the layout needs the session and the database, which may be the fault
        current_app.logger.exception("the error page's layout failed; serving it bare")
        db.session.rollback()
        body = render_template("error_bare.html", **values)
    return body, status, headers or {}


def http_error_page(exc: HTTPException):
    """A page for an HTTP error raised by routing, a guard (``abort(403)``) or a limit."""
    headers = {name: value for name, value in exc.get_headers() if name in KEPT_HEADERS}
    message = EXPIRED_FORM if isinstance(exc, CSRFError) else None
    return render_error(exc.code or 500, message, headers)


def service_error_page(exc):
    """A page for a service function's refusal: its own message when it has one."""
    own = exc.message is not type(exc).default_message
    return render_error(exc.status, exc.message if own else None)


def server_error_page(exc):
    """An unexpected exception (Flask has logged it with its traceback): roll back what the
    request did, then show the 500 page."""
    db.session.rollback()
    original = getattr(exc, "original_exception", None)
    if original is None:  # an explicit abort(500): nothing was logged yet
        current_app.logger.error("500 without an exception: %s", exc)
    return render_error(500)
