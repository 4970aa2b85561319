"""Response templates: canned replies with safe placeholders, per tenant or per department."""


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from app.responses import api as _api  # noqa: F401  (registers the API endpoints)
    from app.responses.views import bp
    from app.views_setup import NAV

    app.register_blueprint(bp)
    if not any(entry[0] == "responses.index" for entry in NAV):
        NAV.append(("responses.index", _l("Templates"), None))
