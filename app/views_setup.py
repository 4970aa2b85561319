"""Blueprints, navigation and template helpers."""
from urllib.parse import urlencode

from flask import current_app, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app import formatting, navigation

# Each area's package has init_app(app): blueprints, API endpoints, nav entries, banners and
# the signal receivers it connects.
AREAS = [
    "app.web",
    "app.departments",
    "app.staff",
    "app.auth",
    "app.events",
    "app.responses",
    "app.routing",
    "app.sla",
    "app.customers", "app.tickets", "app.attachments",
    "app.onboarding",
    "billing",
]


def register(app) -> None:
    from importlib import import_module

    from app import health
    from app.api import bp as api_bp
    from app.api import openapi as _openapi  # noqa: F401  (GET /api/v1/openapi.json)
    from app.extensions import csrf

    navigation.init_app(app)  # before the areas: they add their entries
    for area in AREAS:
        import_module(area).init_app(app)
    csrf.exempt(api_bp)  # the API authenticates with bearer tokens, never cookies
    app.register_blueprint(api_bp)
    app.register_blueprint(health.bp)

    @app.context_processor
    def helpers():
        return {"nav_items": nav_items, "page_banners": page_banners,
                "current_locale": lambda: str(get_locale() or "en")}

    formatting.init_app(app)  # |money, |datetime, |date

    @app.template_filter("urlencode_without")
    def urlencode_without(args, key: str) -> str:
        return urlencode([(k, v) for k, v in args.items(multi=True) if k != key])


# Set-up pages gather under one "Settings" menu so the bar stays short.
SETTINGS = ("departments.index", "staff.index", "responses.index", "routing.index",
            "sla.index", "ticket_settings.index", "company.edit")


def nav_items() -> list[dict]:
    """The nav entries this person may use, the set-up pages grouped under "Settings"; the
    entry whose address is the longest prefix of the page is active (not /app/ everywhere)."""
    if not current_user.is_authenticated:
        return []
    items = [{"endpoint": e.endpoint, "url": url_for(e.endpoint), "label": e.label,
              "active": False}
             for e in navigation.of(current_app).entries
             if e.roles is None or current_user.role in e.roles]
    matching = [item for item in items if request.path.startswith(item["url"])]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["active"] = True
    grouped = sorted((i for i in items if i["endpoint"] in SETTINGS),
                     key=lambda i: SETTINGS.index(i["endpoint"]))
    top = [i for i in items if i["endpoint"] not in SETTINGS]
    if grouped:
        top.append({"label": _l("Settings"), "children": grouped,
                    "active": any(i["active"] for i in grouped)})
    return top


def page_banners() -> list[dict]:
    if not current_user.is_authenticated:
        return []
    return [banner for source in navigation.of(current_app).banner_sources
            for banner in source()]
