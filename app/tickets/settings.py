"""The help desk's per-tenant settings: one JSON document per tenant, with defaults."""
import copy

from app.db_types import utcnow
from app.events.service import record_event
from app.extensions import db
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


def get_settings(section: str) -> dict:
    """One section of the current tenant's settings, defaults filled in."""
    row = _row()
    stored = (row.data if row else {}).get(section, {})
    return copy.deepcopy(DEFAULTS.get(section, {})) | stored


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
    after = get_settings(section)
    record_event(actor, "settings.updated", ("settings", section), {"before": before,
                                                                    "after": after})
    return after
