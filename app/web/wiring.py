"""What the public pages and the dashboard plug into the app: their routes, the first entry."""
from flask_babel import lazy_gettext as _l

from app import navigation
from app.web.views import bp


def init_app(app) -> None:
    app.register_blueprint(bp)
    navigation.add_entry(app, "web.dashboard", _l("Dashboard"), order=navigation.FIRST)
