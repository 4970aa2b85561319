"""Response templates: canned replies with safe placeholders, per tenant or per department."""
from flask_babel import lazy_gettext as _l

from app import navigation


def init_app(app) -> None:
    from app.responses import api as _api  # noqa: F401  (registers the API endpoints)
    from app.responses.views import bp

    app.register_blueprint(bp)
    navigation.add_entry(app, "responses.index", _l("Templates"))
