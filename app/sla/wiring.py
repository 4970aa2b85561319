"""What SLA plugs into the app: pages, API endpoints, nav entry, and its receiver."""
from flask_babel import lazy_gettext as _l

from app import navigation
from app.sla import api as _api  # noqa: F401  (registers the API endpoints)
from app.sla.service import on_ticket_changed
from app.sla.views import bp
from app.tickets.signals import ticket_changed


def init_app(app) -> None:
    app.register_blueprint(bp)
    # Recompute due times whenever a ticket is created or changes.
    ticket_changed.connect(on_ticket_changed, sender=app)
    navigation.add_entry(app, "sla.index", _l("SLA"), ("admin", "manager"))
