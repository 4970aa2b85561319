"""The tenant's mailbox and its figures, as pages, the API and jobs read them."""
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.db_types import utcnow
from app.errors import Conflict, NotFound
from app.extensions import db
from app.mailbox.models import LogEntry, Mailbox


class GmailUnavailable(Conflict):
    """This server has no Google client or no encryption key configured."""

    default_message = _l("Gmail is not set up on this server (GOOGLE_CLIENT_ID, "
                         "GOOGLE_CLIENT_SECRET and ENCRYPTION_KEY are needed).")


def current_mailbox() -> Mailbox | None:
    """The tenant's mailbox row (connected or not), or None."""
    return db.session.scalar(select(Mailbox).limit(1))


def connected_mailbox() -> Mailbox | None:
    mailbox = current_mailbox()
    return mailbox if mailbox is not None and mailbox.status == "connected" else None


def mailbox_or_404() -> Mailbox:
    mailbox = current_mailbox()
    if mailbox is None or mailbox.status == "disconnected":
        raise NotFound(_l("No Gmail mailbox is connected."))
    return mailbox


@dataclass(frozen=True)
class Figures:
    connected: bool
    email: str | None
    status: str
    last_sync_at: datetime | None
    lag_seconds: int | None
    progress: dict | None
    imported: int
    skipped: int
    failed: int
    last_error: str

    def as_json(self) -> dict:
        return {"connected": self.connected, "email": self.email, "status": self.status,
                "last_sync_at": self.last_sync_at.isoformat() if self.last_sync_at else None,
                "lag_seconds": self.lag_seconds, "progress": self.progress,
                "imported": self.imported, "skipped": self.skipped, "failed": self.failed}


def progress_of(mailbox: Mailbox) -> dict | None:
    """The first import's progress (None once it is done): done, total, percent."""
    if not mailbox.syncing_first:
        return None
    total = max(mailbox.progress_total, mailbox.progress_done)
    percent = int(mailbox.progress_done * 100 / total) if total else 0
    return {"done": mailbox.progress_done, "total": total, "percent": percent}


def figures() -> Figures:
    """What the settings page and ``GET /integrations/gmail`` show."""
    mailbox = current_mailbox()
    if mailbox is None:
        return Figures(False, None, "not_connected", None, None, None, 0, 0, 0, "")
    counts = dict(db.session.execute(
        select(LogEntry.status, func.count()).where(LogEntry.mailbox_id == mailbox.id)
        .group_by(LogEntry.status)).all())
    lag = int((utcnow() - mailbox.last_sync_at).total_seconds()) if mailbox.last_sync_at \
        else None
    return Figures(mailbox.status == "connected", mailbox.email if mailbox.status !=
                   "disconnected" else None, mailbox.status, mailbox.last_sync_at, lag,
                   progress_of(mailbox), counts.get("imported", 0), counts.get("skipped", 0),
                   counts.get("failed", 0), mailbox.last_error)
