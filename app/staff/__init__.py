"""Staff: the people who work the help desk, their roles and department rights."""
from flask_babel import lazy_gettext as _l

from app import navigation


def init_app(app) -> None:
    from app.staff import api as _api  # noqa: F401  (registers the API endpoints)
    from app.staff.invite_views import bp as invite_bp
    from app.staff.views import bp

    app.register_blueprint(bp)
    app.register_blueprint(invite_bp)
    # Agents set nothing up: this page is for those who run the desk.
    navigation.add_entry(app, "staff.index", _l("Staff"), ("admin", "manager"))
