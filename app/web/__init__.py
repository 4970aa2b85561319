"""Public pages (home, signup, login) and the staff dashboard."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app import navigation

bp = Blueprint("web", __name__)


def init_app(app) -> None:
    from app.web import views as _views  # noqa: F401  (defines the routes)

    app.register_blueprint(bp)
    navigation.add_entry(app, "web.dashboard", _l("Dashboard"), order=navigation.FIRST)
