"""Which database connection a statement runs on: the application role's, or the platform's.

Tenant work (web, API, widget, tenant jobs) runs as the application role, walled off by
row-level security. Platform work (``context.platform_connection``: daily charge, sweeps,
the operator's console and commands) runs on ``PLATFORM_DATABASE_URL``, a role that bypasses
row-level security. Without that setting both are the same connection (a single-role
install, and the embedded default).
"""
from flask_sqlalchemy.session import Session as FlaskSession

from tenants import context

PLATFORM_BIND = "platform"


class TenantSession(FlaskSession):
    """A session whose statements go to the platform engine during platform work."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if bind is None and context.on_platform_connection():
            engine = self._db.engines.get(PLATFORM_BIND)
            if engine is not None:
                return engine
        return super().get_bind(mapper, clause=clause, bind=bind, **kwargs)


def configure(app) -> None:
    """Register the platform engine as a bind when ``PLATFORM_DATABASE_URI`` is set."""
    uri = app.config.get("PLATFORM_DATABASE_URI")
    if uri and uri != app.config.get("SQLALCHEMY_DATABASE_URI"):
        binds = dict(app.config.get("SQLALCHEMY_BINDS") or {})
        binds.setdefault(PLATFORM_BIND, uri)
        app.config["SQLALCHEMY_BINDS"] = binds
