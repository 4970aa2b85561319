"""Tenants: the Tenant model, the tenant context, ORM scoping, PostgreSQL RLS and signup."""


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from app.views_setup import NAV
    from tenants import api as _api  # noqa: F401  (signup and tenant endpoints)
    from tenants.settings import bp

    app.register_blueprint(bp)
    if not any(endpoint == "company.edit" for endpoint, _, _ in NAV):
        NAV.append(("company.edit", _l("Company"), ("admin",)))
