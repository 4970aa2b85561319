"""What onboarding plugs into the app: signup and tenant endpoints, company settings."""
from flask_babel import lazy_gettext as _l

from app import navigation
from app.onboarding import api as _api  # noqa: F401  (signup and tenant endpoints)
from app.onboarding.settings import bp


def init_app(app) -> None:
    app.register_blueprint(bp)
    navigation.add_entry(app, "company.edit", _l("Company"), ("admin",))
