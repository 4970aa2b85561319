"""Onboarding: signing a company up and its company settings (name, language, time zone).

It sits above the other areas, because a signup creates what they own (the admin, a
department, the trial credit, the first token); the ``tenants`` foundation below knows
nothing of it."""
from flask_babel import lazy_gettext as _l

from app import navigation


def init_app(app) -> None:
    from app.onboarding import api as _api  # noqa: F401  (signup and tenant endpoints)
    from app.onboarding.settings import bp

    app.register_blueprint(bp)
    navigation.add_entry(app, "company.edit", _l("Company"), ("admin",))
