"""The help desk application factory."""
from flask import Flask

from app.config import INSTANCE, ROOT, from_environment


def create_app(config: dict | None = None) -> Flask:
    """Build the app: settings, extensions, blueprints, tenant scoping. No I/O at import."""
    app = Flask(__name__, instance_path=str(INSTANCE), static_folder=str(ROOT / "static"),
                static_url_path="/static")
    settings = from_environment()
    settings.update(config or {})
    app.config.update(settings)
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True, REMEMBER_COOKIE_SAMESITE="Lax",
        BABEL_TRANSLATION_DIRECTORIES=str(ROOT / "app" / "translations"),
        JSON_SORT_KEYS=False,
    )

    # Imported here, not at the top: this package runs before any ``app.x`` module is
    # imported, and the factory's modules import every area, billing and tenants — at the top
    # they would load the whole product (and loop back here) for each ``import app.config``.
    from app import cli, extensions, redis_setup, requests, security, unit_of_work, views_setup
    from tenants import database

    app.session_interface = extensions.CookieSessionInterface()
    redis_setup.init_app(app)
    database.configure(app)
    extensions.db.init_app(app)
    extensions.ping_idle_connections(app)
    extensions.migrate.init_app(app, extensions.db, directory=str(ROOT / "migrations"))
    extensions.csrf.init_app(app)
    extensions.limiter.init_app(app)
    extensions.login_manager.init_app(app)
    extensions.babel.init_app(app, locale_selector=requests.select_locale,
                              timezone_selector=requests.select_timezone)
    requests.init_app(app)
    security.init_app(app)
    views_setup.register(app)
    cli.register_cli(app)
    unit_of_work.init_app(app)  # last: it wraps every view registered above
    return app
