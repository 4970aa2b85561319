"""What the customers area plugs into the app: pages, API endpoints, nav entry."""
from flask_babel import lazy_gettext as _l

from app import navigation
from app.customers import api as _api  # noqa: F401  (registers the API endpoints)
from app.customers.views import bp


def init_app(app) -> None:
    app.register_blueprint(bp)
    # An agent's daily page: after the dashboard and the tickets (order 10).
    navigation.add_entry(app, "customers.customers", _l("Customers"), order=20)
