"""What the departments area plugs into the app: its pages, API endpoints and nav entry."""
from flask_babel import lazy_gettext as _l

from app import navigation
from app.departments import api as _api  # noqa: F401  (registers the API endpoints)
from app.departments.views import bp


def init_app(app) -> None:
    app.register_blueprint(bp)
    # Agents set nothing up: this page is for those who run the desk.
    navigation.add_entry(app, "departments.index", _l("Departments"), ("admin", "manager"))
