"""The widget's settings: reading them (cached per process), saving the admin's changes
(checked by ``app.widget.checks``), the identity-verification secret, and the snippet to
paste into a site."""
import secrets
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _

from app.db_types import utcnow
from app.errors import Forbidden, ValidationFailed
from app.events.service import record_event
from app.extensions import db
from app.settings_cache import cached, settings_changed
from app.widget.checks import CLEANERS, DEFAULT_COLOR, TEXT_LIMITS
from app.widget.models import WidgetSettings
from tenants import context
from tenants.resolve import current_tenant

DEFAULT_FIELDS = ({"name": "name", "label": "", "required": False},
                  {"name": "email", "label": "", "required": True},
                  {"name": "subject", "label": "", "required": True},
                  {"name": "body", "label": "", "required": True},
                  {"name": "attachments", "label": "", "required": False})


@dataclass(frozen=True)
class Widget:
    """One tenant's widget settings as plain data (shared by the process's cache: copy
    before changing)."""

    allowed_origins: tuple[str, ...] = ()
    fields: tuple[dict, ...] = DEFAULT_FIELDS
    department_ids: tuple[int, ...] = ()
    colors: dict = field(default_factory=lambda: {"primary": DEFAULT_COLOR})
    texts: dict = field(default_factory=lambda: dict.fromkeys(TEXT_LIMITS, ""))
    language: str = ""
    identity_secret: str | None = None


def _row() -> WidgetSettings | None:
    return db.session.get(WidgetSettings, context.current_tenant_id())


def _load() -> Widget:
    row = _row()
    if row is None:
        return Widget()
    defaults = Widget()
    return Widget(allowed_origins=tuple(row.allowed_origins or ()),
                  fields=tuple(row.fields or defaults.fields),
                  department_ids=tuple(row.department_ids or ()),
                  colors=defaults.colors | dict(row.colors or {}),
                  texts=defaults.texts | dict(row.texts or {}),
                  language=row.language or "", identity_secret=row.identity_secret)


def current_widget() -> Widget:
    """The current tenant's widget settings (no query while they are unchanged)."""
    return cached("widget", _load)




def _require_admin(actor) -> None:
    if getattr(actor, "role", None) != "admin":
        raise Forbidden(_("Only an admin can change the widget."))


def _as_dict(widget: Widget) -> dict:
    return {"allowed_origins": list(widget.allowed_origins),
            "fields": [dict(f) for f in widget.fields],
            "department_ids": list(widget.department_ids), "colors": dict(widget.colors),
            "texts": dict(widget.texts), "language": widget.language}


def _stored_row() -> WidgetSettings:
    row = _row()
    if row is None:
        row = WidgetSettings(tenant_id=context.current_tenant_id(),
                             **_as_dict(Widget()), identity_secret=None)
        db.session.add(row)
    return row


def update_widget(*, actor, changes: dict) -> dict:
    """Change the settings named in ``changes`` (admin); each is checked first, a problem is
    a 422 naming the setting. The event keeps what changed, before and after."""
    _require_admin(actor)
    before = _as_dict(current_widget())
    after, problems = dict(before), {}
    for key, value in changes.items():
        if key in CLEANERS and value is not None:
            try:
                after[key] = CLEANERS[key](value)
            except ValueError as exc:
                problems[key] = str(exc)
    if problems:
        raise ValidationFailed(fields=problems)
    changed = {key: {"before": before[key], "after": after[key]}
               for key in after if after[key] != before[key]}
    if changed:
        row = _stored_row()
        for key in changed:
            setattr(row, key, after[key])
        row.updated_at = utcnow()
        db.session.flush()
        settings_changed()
        record_event(actor, "widget.updated", ("widget", context.current_tenant_id()),
                     {"changes": changed})
    return after


def set_identity_secret(*, actor, enabled: bool = True) -> str | None:
    """A new secret for identity verification (the old one stops working at once), or none:
    verification off. Admin only."""
    _require_admin(actor)
    row = _stored_row()
    row.identity_secret = secrets.token_hex(32) if enabled else None
    row.updated_at = utcnow()
    db.session.flush()
    settings_changed()
    record_event(actor, "widget.secret_changed", ("widget", context.current_tenant_id()),
                 {"enabled": enabled})
    return row.identity_secret


def script_url() -> str:
    return current_app.config["BASE_URL"] + "/static/widget.js"


def snippet(widget_key: str) -> str:
    """What the admin pastes into the site, before ``</body>``."""
    return f'<script src="{script_url()}" data-key="{widget_key}" async></script>'


def settings_json(*, actor) -> dict:
    """``GET /api/v1/widget``: the settings with the key, the snippet and the secret (admin)."""
    _require_admin(actor)
    widget = current_widget()
    key = current_tenant().widget_key
    return {"key": key, **_as_dict(widget), "identity_secret": widget.identity_secret,
            "snippet": snippet(key)}
