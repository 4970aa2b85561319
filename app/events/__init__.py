"""The event log: an append-only record of every change, per tenant."""


def init_app(app) -> None:
    from app.events import api as _api  # noqa: F401  (registers the API endpoints)
    from app.events.views import bp

    app.register_blueprint(bp)
