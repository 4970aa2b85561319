"""The ingestion log as staff read it: newest first, by status; and its entries' words."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.mailbox.models import ENTRY_STATUSES, LogEntry
from app.staff.roles import ADMINS, require_role

STATUS_LABELS = {"imported": _l("Imported"), "skipped": _l("Skipped"), "failed": _l("Failed")}
# Why a message was skipped, or how an imported one found its ticket.
REASON_LABELS = {
    "own_letter": _l("a letter the help desk sent"),
    "auto_reply": _l("an automatic reply"),
    "bulk": _l("bulk or mailing-list mail"),
    "bounce": _l("a delivery failure report"),
    "own_address": _l("sent from the mailbox's own address"),
    "duplicate": _l("already imported (same Message-ID)"),
    "thread": _l("added to its ticket by the Gmail thread"),
    "references": _l("added to its ticket by In-Reply-To/References"),
    "subject_token": _l("added to its ticket by the [#number] in the subject"),
    "new": _l("a new ticket"),
    "spam": _l("held as spam by a stop list"),
}


def entries(*, actor, status: str | None = None):
    """``select(LogEntry)`` of the log (admins), filtered by status."""
    require_role(actor, ADMINS)
    stmt = select(LogEntry)
    if status in ENTRY_STATUSES:
        stmt = stmt.where(LogEntry.status == status)
    return stmt


def reason_text(entry: LogEntry) -> str:
    """The entry's reason in words: codes translated, errors as they came."""
    parts = [part.strip() for part in (entry.reason or "").split(";") if part.strip()]
    return "; ".join(str(REASON_LABELS.get(part, part)) for part in parts)


def entry_json(entry: LogEntry) -> dict:
    return {"id": entry.id, "gmail_id": entry.gmail_id, "message_id": entry.message_id,
            "from": entry.from_address, "subject": entry.subject, "status": entry.status,
            "reason": entry.reason, "reason_text": reason_text(entry),
            "ticket_number": entry.ticket_number, "attempts": entry.attempts,
            "at": entry.updated_at.isoformat()}
