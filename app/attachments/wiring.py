"""What attachments plug into the app: the download page and the upload API."""
from app.attachments import api as _api  # noqa: F401  (registers the API endpoints)
from app.attachments.views import bp


def init_app(app) -> None:
    app.register_blueprint(bp)
