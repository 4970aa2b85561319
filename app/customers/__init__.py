"""Customers (requesters, registered by e-mail the first time they write) and organizations."""


def init_app(app) -> None:
    from app.customers import api as _api  # noqa: F401  (registers the API endpoints)
