"""Attachments: limits from the tenant's settings, type checked by content, pluggable storage."""


def init_app(app) -> None:
    from app.attachments import api as _api  # noqa: F401  (registers the API endpoints)
    from app.attachments.views import bp

    app.register_blueprint(bp)
