"""Imported letters kept as they came: the raw RFC 822 bytes of every message imported from
Gmail (a new ticket or a reply into one), zlib-compressed beside the ticket message, for the
"show original" view and the .eml download.

The cap is the tenant's own limit for one attachment (``max_file_bytes``, 20 MB unless the
admin changed it): the original is handed out as a file like any attachment. A larger
letter keeps its header block only (up to ``HEADERS_CAP``), and the view says so.

The rows are written in the import's own transaction, and cheaply: ``keep`` only compresses
and queues; the transaction's queue goes in as one statement just before it commits (on
PostgreSQL an INSERT … SELECT from arrays, so a batch of 50 letters is one short statement),
and a rollback drops it with everything else.
"""
import re
import zlib

from flask_babel import gettext as _
from sqlalchemy import event, insert, select, text
from sqlalchemy.orm import Session

from app.db_types import utcnow
from app.errors import NotFound
from app.extensions import db
from app.mailbox.models import Original
from app.mailbox.status import mailbox_status
from app.tickets import service as tickets
from app.tickets.models import Message, Ticket
from app.tickets.settings import get_settings
from app.unit_of_work import on_rollback
from tenants import context

HEADERS_CAP = 256 * 1024
_QUEUE = "gmail_originals"  # session.info key: the rows waiting for the commit
_HEADER_END = re.compile(rb"\r?\n\r?\n")


def cap() -> int:
    """The largest letter kept whole, in bytes. Read without flushing: a batch writes its
    pending rows together at its commit."""
    with db.session.no_autoflush:
        return int(get_settings("attachments")["max_file_bytes"])


def header_block(raw: bytes) -> bytes:
    """The letter's headers: everything before the first empty line (capped)."""
    end = _HEADER_END.search(raw, 0, HEADERS_CAP)
    return raw[:end.end()] if end else raw[:HEADERS_CAP]


class _Queue(list):
    """The rows of a transaction waiting for its commit, the cap they were kept under, and
    what they share: the tenant (one per transaction) and the moment."""

    def __init__(self, limit: int):
        super().__init__()
        self.cap, self.tenant_id, self.now = limit, context.current_tenant_id(), utcnow()


def keep(message_id: int, raw: bytes) -> None:
    """Keep ``raw`` as the original of ticket message ``message_id``: written with the
    transaction when it commits, dropped if it rolls back."""
    if not raw:
        return
    session = db.session()
    queue = session.info.get(_QUEUE)
    if queue is None:  # the transaction's first: the cap is read once for all of them
        queue = session.info[_QUEUE] = _Queue(cap())
        on_rollback(lambda: session.info.pop(_QUEUE, None), session=session)
    headers_only = len(raw) > queue.cap
    kept = header_block(raw) if headers_only else raw
    queue.append({"message_id": message_id, "raw": zlib.compress(kept), "size": len(raw),
                  "headers_only": headers_only})


# PostgreSQL: the whole queue as six arrays, one short statement whatever its length.
_INSERT_ARRAYS = text("""
    INSERT INTO gmail_originals (tenant_id, message_id, raw, size, headers_only, created_at)
    SELECT :tenant_id, m, r, s, h, :now
    FROM unnest(CAST(:messages AS bigint[]), CAST(:raws AS bytea[]), CAST(:sizes AS bigint[]),
                CAST(:headers_only AS boolean[])) AS q(m, r, s, h)""")


def _write(session) -> None:
    queue = session.info.pop(_QUEUE, None)
    if not queue:
        return
    if session.get_bind().dialect.name != "postgresql":
        session.execute(insert(Original.__table__), [
            {"tenant_id": queue.tenant_id, "created_at": queue.now} | row for row in queue])
        return
    session.execute(_INSERT_ARRAYS, {
        "tenant_id": queue.tenant_id, "now": queue.now,
        "messages": [row["message_id"] for row in queue], "raws": [row["raw"] for row in queue],
        "sizes": [row["size"] for row in queue],
        "headers_only": [row["headers_only"] for row in queue]})


def init_app(app) -> None:
    """Write the queued originals just before each commit (once per process)."""
    if not event.contains(Session, "before_commit", _write):
        event.listen(Session, "before_commit", _write)


def letter_bytes(original: Original) -> bytes:
    """The kept bytes, as they came (or the header block of a letter over the cap)."""
    return zlib.decompress(original.raw)


def find(staff, number: int, message_id: int) -> tuple[Ticket, Original]:
    """The original of message ``message_id`` of ticket ``number`` for ``staff``, who must be
    able to see the ticket; anything else (another tenant's above all) is 404."""
    ticket = tickets.get_ticket(staff, number)
    message = db.session.get(Message, message_id)
    kept = None
    if message is not None and message.ticket_id == ticket.id:
        kept = db.session.scalar(select(Original).where(Original.message_id == message.id))
    if kept is None:
        raise NotFound(_("This message has no original letter."))
    return ticket, kept


def with_originals(messages) -> set[int]:
    """Which of these ticket messages have an original (the ticket page links them); no
    query for a tenant that never connected Gmail, nor for a conversation without a
    customer's message."""
    ids = [m.id for m in messages if m.author_kind == "customer"]
    if not ids or mailbox_status() is None:
        return set()
    return set(db.session.scalars(select(Original.message_id).where(
        Original.message_id.in_(ids))))
