"""What response templates plug into the app: pages, API endpoints, nav entry."""
from flask_babel import lazy_gettext as _l

from app import navigation
from app.responses import api as _api  # noqa: F401  (registers the API endpoints)
from app.responses.views import bp


def init_app(app) -> None:
    app.register_blueprint(bp)
    navigation.add_entry(app, "responses.index", _l("Templates"))
