"""What authentication plugs into the app: login, sessions and reset pages, token API."""
from app.auth import api as _api  # noqa: F401  (registers the API endpoints)
from app.auth.reset_views import bp as reset_bp
from app.auth.views import bp


def init_app(app) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(reset_bp)
