"""Blueprints, navigation and template helpers."""
from urllib.parse import urlencode

from flask import current_app, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app import formatting, health, navigation, observability
from app.api import bp as api_bp
from app.api import openapi as _openapi  # noqa: F401  (GET /api/v1/openapi.json)
from app.attachments import wiring as attachments
from app.auth import wiring as auth
from app.customers import wiring as customers
from app.departments import wiring as departments
from app.event_log import wiring as event_log
from app.extensions import csrf
from app.internal_mail import wiring as internal_mail
from app.kb import wiring as kb
from app.languages import DEFAULT_LANGUAGE, LANGUAGES, language_label
from app.letters import wiring as letters
from app.mailbox import wiring as mailbox
from app.onboarding import wiring as onboarding
from app.operator import wiring as operator
from app.portal import wiring as portal
from app.reports import wiring as reports
from app.responses import wiring as responses
from app.routing import wiring as routing
from app.sla import wiring as sla
from app.spam import wiring as spam
from app.staff import wiring as staff
from app.tickets import wiring as tickets
from app.web import wiring as web
from app.widget import wiring as widget
from billing import wiring as billing

# Each area's ``wiring`` module has init_app(app): blueprints, API endpoints, nav entries,
# banners and the signal receivers it connects. This module (with the factory) is the one
# place that imports every area; the order is the nav bar's order within an ``order``.
AREAS = [
    web,
    departments,
    staff,
    auth,
    event_log,
    responses,
    routing,
    sla,
    customers, tickets, attachments, spam, widget, mailbox,
    kb,
    portal,
    reports,
    letters,
    internal_mail,
    onboarding,
    billing,
    operator,
]


def register(app) -> None:
    observability.init_app(app)  # request id, metrics and the log line of every request
    navigation.init_app(app)  # before the areas: they add their entries
    for area in AREAS:
        area.init_app(app)
    csrf.exempt(api_bp)  # the API authenticates with bearer tokens, never cookies
    app.register_blueprint(api_bp)
    app.register_blueprint(health.bp)

    @app.context_processor
    def helpers():
        return {"nav_items": nav_items, "page_banners": page_banners,
                "current_locale": lambda: str(get_locale() or DEFAULT_LANGUAGE),
                "languages": LANGUAGES, "language_label": language_label}

    formatting.init_app(app)  # |money, |datetime, |date

    @app.template_filter("urlencode_without")
    def urlencode_without(args, key: str) -> str:
        return urlencode([(k, v) for k, v in args.items(multi=True) if k != key])


# Set-up pages gather under one "Settings" menu so the bar stays short.
SETTINGS = ("departments.index", "staff.index", "responses.index", "routing.index",
            "sla.index", "ticket_settings.index", "widget_settings.index", "mailbox.settings",
            "spam.stop_lists",
            "letters.index", "company.edit")


def nav_items() -> list[dict]:
    """The nav entries this person may use, the set-up pages grouped under "Settings"; the
    entry whose address is the longest prefix of the page is active (not /app/ everywhere)."""
    user = current_user._get_current_object()  # once, not through the proxy per entry
    if not user.is_authenticated:
        return []
    role, path = user.role, request.path
    items = [{"endpoint": e.endpoint, "url": url_for(e.endpoint), "label": e.label,
              "active": False, "badge": e.badge() if e.badge else 0}
             for e in navigation.of(current_app).entries
             if e.roles is None or role in e.roles]
    matching = [item for item in items if path.startswith(item["url"])]
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
