"""Blueprints, navigation and template helpers."""
from urllib.parse import urlencode

from flask import url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from billing.money import format_money

# (endpoint, label, roles or None for everyone). Areas append their own entries.
NAV = [
    ("web.dashboard", _l("Dashboard"), None),
    ("departments.index", _l("Departments"), None),
    ("staff.index", _l("Staff"), None),
    ("events.index", _l("Event log"), ("admin", "manager")),
]
# Callables returning [{"kind": "warning", "html": Markup}] for the banner strip.
BANNERS: list = []


def register(app) -> None:
    from app import health
    from app.api import bp as api_bp
    from app.auth import api as _auth_api  # noqa: F401  (registers endpoints)
    from app.auth.views import bp as auth_bp
    from app.departments import api as _departments_api  # noqa: F401
    from app.departments.views import bp as departments_bp
    from app.events import api as _events_api  # noqa: F401
    from app.events.views import bp as events_bp
    from app.extensions import csrf
    from app.staff import api as _staff_api  # noqa: F401
    from app.staff.views import bp as staff_bp
    from app.web import bp as web_bp
    from app.web import views as _web_views  # noqa: F401
    from tenants import api as _tenants_api  # noqa: F401
    from app.api import openapi as _openapi  # noqa: F401

    csrf.exempt(api_bp)  # the API authenticates with bearer tokens, never cookies
    for blueprint in (api_bp, health.bp, web_bp, departments_bp, staff_bp, auth_bp, events_bp):
        app.register_blueprint(blueprint)

    @app.context_processor
    def helpers():
        return {"nav_items": nav_items, "page_banners": page_banners,
                "current_locale": lambda: str(get_locale() or "en")}

    @app.template_filter("money")
    def money(minor: int, currency: str) -> str:
        return format_money(minor, currency, str(get_locale() or "en"))

    @app.template_filter("urlencode_without")
    def urlencode_without(args, key: str) -> str:
        return urlencode([(k, v) for k, v in args.items(multi=True) if k != key])


def nav_items() -> list[dict]:
    if not current_user.is_authenticated:
        return []
    return [{"url": url_for(endpoint), "label": label} for endpoint, label, roles in NAV
            if roles is None or current_user.role in roles]


def page_banners() -> list[dict]:
    if not current_user.is_authenticated:
        return []
    return [banner for source in BANNERS for banner in source()]
