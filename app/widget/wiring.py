"""What the widget area plugs into the app: its public endpoints, the settings page and API,
and the nav entry."""
from flask_babel import lazy_gettext as _l

from app import navigation
from app.extensions import csrf
from app.widget import api as _api  # noqa: F401  (registers the API endpoints)
from app.widget import direct
from app.widget.public import bp as public_bp
from app.widget.views import bp as settings_bp


def init_app(app) -> None:
    csrf.exempt(public_bp)  # visitors of other sites: no session, no cookie, CORS instead
    app.register_blueprint(public_bp)
    direct.install(app)  # the intake's common case, below Flask's request machinery
    app.register_blueprint(settings_bp)
    navigation.add_entry(app, "widget_settings.index", _l("Widget"), ("admin",))
