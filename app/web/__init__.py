"""Public pages (home, signup, login) and the staff dashboard."""
from flask import Blueprint

bp = Blueprint("web", __name__)


def init_app(app) -> None:
    from app.web import views as _views  # noqa: F401  (defines the routes)

    app.register_blueprint(bp)
