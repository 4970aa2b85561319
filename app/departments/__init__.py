"""Departments: the categories tickets are sorted into, and who may do what in each."""
from flask_babel import lazy_gettext as _l

from app import navigation


def init_app(app) -> None:
    from app.departments import api as _api  # noqa: F401  (registers the API endpoints)
    from app.departments.views import bp

    app.register_blueprint(bp)
    # Agents set nothing up: this page is for those who run the desk.
    navigation.add_entry(app, "departments.index", _l("Departments"), ("admin", "manager"))
