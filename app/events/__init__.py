"""The event log: an append-only record of every change, per tenant."""
from flask_babel import lazy_gettext as _l

from app import navigation


def init_app(app) -> None:
    from app.events import api as _api  # noqa: F401  (registers the API endpoints)
    from app.events.views import bp

    app.register_blueprint(bp)
    navigation.add_entry(app, "events.index", _l("Event log"), ("admin", "manager"))
