"""What the event log plugs into the app: its page, its API endpoints, its nav entry."""
from flask_babel import lazy_gettext as _l

from app import navigation
from app.event_log import api as _api  # noqa: F401  (registers the API endpoints)
from app.event_log.service import READERS
from app.event_log.views import bp


def init_app(app) -> None:
    app.register_blueprint(bp)
    navigation.add_entry(app, "events.index", _l("Event log"), READERS)
