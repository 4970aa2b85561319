"""Tenants: the Tenant model, the tenant context, ORM scoping, PostgreSQL RLS and signup."""
from flask_babel import lazy_gettext as _l

from app import navigation


def init_app(app) -> None:
    from tenants import api as _api  # noqa: F401  (signup and tenant endpoints)
    from tenants.settings import bp

    app.register_blueprint(bp)
    navigation.add_entry(app, "company.edit", _l("Company"), ("admin",))
