"""What routing plugs into the app: pages, API endpoints, nav entry, and its receivers."""
from flask_babel import lazy_gettext as _l

from app import navigation
from app.customers.signals import organization_deleting
from app.routing import api as _api  # noqa: F401  (registers the API endpoints)
from app.routing.service import forget_organization, route_draft
from app.routing.views import bp
from app.tickets.signals import ticket_drafted


def init_app(app) -> None:
    app.register_blueprint(bp)
    # Route tickets at creation on every channel; keep rules sane when an organization goes.
    ticket_drafted.connect(route_draft, sender=app)
    organization_deleting.connect(forget_organization, sender=app)
    navigation.add_entry(app, "routing.index", _l("Routing"), ("admin", "manager"))
