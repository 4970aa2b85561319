"""Customers (requesters, registered by e-mail the first time they write) and organizations."""


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from app.customers import api as _api  # noqa: F401  (registers the API endpoints)
    from app.customers.views import bp
    from app.views_setup import NAV

    app.register_blueprint(bp)
    if not any(endpoint == "customers.customers" for endpoint, _, _ in NAV):
        NAV.insert(1, ("customers.customers", _l("Customers"), None))  # after the dashboard
