"""The help desk's per-tenant settings: one JSON document per tenant, with defaults."""
import copy

from flask_babel import gettext as _

from app.db_types import utcnow
from app.errors import ValidationFailed
from app.events.service import record_event
from app.extensions import db
from app.settings_cache import cached, settings_changed
from app.tickets.models import DeskSettings
from tenants import context

MB = 1024 * 1024
DEFAULTS: dict = {
    # Closed tickets move to the archive after this many days (the archive job).
    "archive": {"after_days": 30},
    "attachments": {
        "max_file_bytes": 20 * MB,
        "max_files": 10,
        # Types recognised from the file's content; "text/plain" covers files with no
        # recognisable signature that decode as text (logs, CSV).
        "allowed_types": [
            "image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp", "image/tiff",
            "application/pdf", "application/zip", "application/gzip", "application/x-7z-compressed",
            "application/msword", "application/vnd.ms-excel",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "application/vnd.oasis.opendocument.text",
            "application/vnd.oasis.opendocument.spreadsheet",
            "audio/mpeg", "audio/ogg", "video/mp4", "text/plain",
        ],
    },
}


def _row() -> DeskSettings | None:
    return db.session.get(DeskSettings, context.current_tenant_id())


def _load_stored() -> dict:
    row = _row()
    return copy.deepcopy(row.data) if row and row.data else {}


def get_settings(section: str) -> dict:
    """One section of the current tenant's settings, defaults filled in (a copy: the stored
    document is shared by the process's cache)."""
    stored = cached("desk_settings", _load_stored).get(section, {})
    return copy.deepcopy(DEFAULTS.get(section, {}) | stored)


def update_settings(*, actor, section: str, values: dict) -> dict:
    """Merge ``values`` into a section (validated by the caller); records before/after."""
    before = get_settings(section)
    row = _row()
    if row is None:
        row = DeskSettings(tenant_id=context.current_tenant_id(), data={})
        db.session.add(row)
    data = copy.deepcopy(row.data or {})
    data[section] = data.get(section, {}) | values
    row.data = data  # a new object, so the JSON change is seen
    row.updated_at = utcnow()
    db.session.flush()
    settings_changed()
    after = get_settings(section)
    record_event(actor, "settings.updated", ("settings", section), {"before": before,
                                                                    "after": after})
    return after


MAX_FILE_LIMIT = 100 * MB


def update_attachment_rules(*, actor, max_file_bytes: int | None = None,
                            max_files: int | None = None,
                            allowed_types: list[str] | None = None) -> dict:
    """Change the attachment rules (only what is given); every value checked first."""
    fields, values = {}, {}
    if max_file_bytes is not None:
        if not 1 <= max_file_bytes <= MAX_FILE_LIMIT:
            fields["max_file_bytes"] = _("Between 1 byte and %(n)d MB.", n=MAX_FILE_LIMIT // MB)
        values["max_file_bytes"] = max_file_bytes
    if max_files is not None:
        if not 1 <= max_files <= 50:
            fields["max_files"] = _("Between 1 and 50 files.")
        values["max_files"] = max_files
    if allowed_types is not None:
        types = sorted({t.strip().lower() for t in allowed_types if t.strip()})
        if not types or any("/" not in t or " " in t for t in types):
            fields["allowed_types"] = _("List MIME types such as image/png or application/pdf.")
        values["allowed_types"] = types
    if fields:
        raise ValidationFailed(fields=fields)
    return update_settings(actor=actor, section="attachments", values=values)
