"""Tenants: the Tenant model, the tenant context, ORM scoping, PostgreSQL RLS and signup."""


def init_app(app) -> None:
    from tenants import api as _api  # noqa: F401  (signup and tenant endpoints)
