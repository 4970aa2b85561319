"""Attachments: check size, count and type (by content) against the tenant's rules, store
the bytes through the storage backend, and hand files only to the owning tenant's staff.

Checks run on every file before anything is written, so a refused file leaves no half
of a reply behind: the caller gets the error and the text to try again.
"""
import hashlib
import re
import unicodedata
import uuid
from dataclasses import dataclass

import filetype
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from app.attachments.models import Attachment
from app.attachments.storage import get_storage
from app.errors import NotFound, TooLarge, ValidationFailed
from app.events.service import record_event
from app.extensions import db
from app.staff.models import Staff
from app.tickets.access import require
from app.tickets.models import Ticket
from app.tickets.settings import get_settings
from app.unit_of_work import on_rollback
from tenants import context

MB = 1024 * 1024


@dataclass
class NewFile:
    """A file as it arrives (form upload, API upload, mail part)."""

    filename: str
    data: bytes


@dataclass
class CheckedFile:
    filename: str
    data: bytes
    content_type: str


def human_size(n: int) -> str:
    """``20 MB``, ``512 KB``, ``900 bytes`` — for limits in error messages."""
    for unit, size in (("MB", MB), ("KB", 1024)):
        if n >= size:
            return f"{n / size:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} bytes"


def safe_filename(name: str) -> str:
    """A name safe for disk and headers: no path, no control characters, no quotes."""
    name = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = re.sub(r'[\x00-\x1f\x7f"<>:|?*;]', "_", name).strip(" .")
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 190] + dot + ext[:9]) if dot and len(ext) < 10 else name[:200]
    return name or "attachment"


def detect_type(data: bytes) -> str:
    """The MIME type from the content's signature; undetected UTF-8 text is text/plain."""
    kind = filetype.guess(data)
    if kind is not None:
        return kind.mime
    try:
        data[:65536].decode("utf-8")
    except UnicodeDecodeError:
        return "application/octet-stream"
    return "text/plain"


def check_files(files: list[NewFile]) -> list[CheckedFile]:
    """Validate every file against the tenant's limits: 413 for size, 422 for count/type."""
    if not files:
        return []  # most messages: nothing to check, no settings to read
    rules = get_settings("attachments")
    limit, allowed = int(rules["max_file_bytes"]), set(rules["allowed_types"])
    if len(files) > int(rules["max_files"]):
        message = ngettext("At most %(num)d file per message.",
                           "At most %(num)d files per message.", int(rules["max_files"]))
        raise ValidationFailed(message, fields={"attachments": message})
    checked = []
    for file in files:
        name = safe_filename(file.filename)
        if len(file.data) > limit:
            message = _("“%(name)s” is %(size)s; the limit is %(limit)s per file.",
                        name=name, size=human_size(len(file.data)), limit=human_size(limit))
            raise TooLarge(message, fields={"attachments": message})
        if not file.data:
            raise ValidationFailed(fields={"attachments": _("“%(name)s” is empty.", name=name)})
        mime = detect_type(file.data)
        if mime not in allowed:
            message = _("“%(name)s” is of a type not accepted here (%(type)s). Accepted: files "
                        "up to %(limit)s of these types: %(types)s.", name=name,
                        type=mime, limit=human_size(limit), types=", ".join(sorted(allowed)))
            raise ValidationFailed(message, fields={"attachments": message})
        checked.append(CheckedFile(filename=name, data=file.data, content_type=mime))
    return checked


def _store(file: CheckedFile, *, actor, ticket_id: int | None,
           message_id: int | None) -> Attachment:
    tenant_id = context.current_tenant_id()
    key = f"{tenant_id}/{uuid.uuid4().hex}"
    storage = get_storage()
    storage.put(key, file.data, file.content_type)
    on_rollback(lambda: storage.delete(key))  # no row, no bytes: a rolled-back upload leaves none
    attachment = Attachment(
        ticket_id=ticket_id, message_id=message_id, filename=file.filename,
        content_type=file.content_type, size=len(file.data),
        sha256=hashlib.sha256(file.data).hexdigest(), storage_key=key,
        uploaded_by_id=actor.id if isinstance(actor, Staff) else None)
    db.session.add(attachment)
    return attachment


def store_files(files: list[CheckedFile], *, actor, ticket, message) -> list[Attachment]:
    """Store already-checked files on ``message``."""
    stored = [_store(f, actor=actor, ticket_id=ticket.id, message_id=message.id) for f in files]
    if stored:
        db.session.flush()  # their ids, which the caller answers with
    return stored


def upload(*, actor, file: NewFile) -> Attachment:
    """Store one file ahead of the message that will carry it (API: upload, then reply
    with ``attachment_ids``)."""
    [checked] = check_files([file])
    attachment = _store(checked, actor=actor, ticket_id=None, message_id=None)
    db.session.flush()
    record_event(actor, "attachment.uploaded", attachment,
                 {"filename": attachment.filename, "size": attachment.size,
                  "content_type": attachment.content_type})
    return attachment


def pending_uploads(ids: list[int], *, actor) -> list[Attachment]:
    """The uploads named by ``ids`` that ``actor`` made and no message carries yet."""
    if not ids:
        return []
    rows = db.session.scalars(select(Attachment).where(
        Attachment.id.in_(ids), Attachment.message_id.is_(None),
        Attachment.uploaded_by_id == getattr(actor, "id", None))).all()
    if len(rows) != len(set(ids)):
        raise ValidationFailed(fields={"attachment_ids": _(
            "Unknown or already used upload; upload the file again.")})
    return rows


def claim_uploads(rows: list[Attachment], *, ticket, message) -> None:
    for attachment in rows:
        attachment.ticket_id, attachment.message_id = ticket.id, message.id


def attachments_of(message_ids: list[int]) -> dict[int, list[Attachment]]:
    """``{message_id: [Attachment, …]}`` for serializing a conversation in one query."""
    found: dict[int, list[Attachment]] = {}
    if message_ids:
        for a in db.session.scalars(select(Attachment).where(
                Attachment.message_id.in_(message_ids)).order_by(Attachment.id)):
            found.setdefault(a.message_id, []).append(a)
    return found


def get_attachment(staff: Staff, attachment_id: int) -> Attachment:
    """An attachment ``staff`` may read: on a ticket they see, or their own pending upload.
    Anything else — another tenant's above all — is 404."""
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None:
        raise NotFound(_("Attachment not found."))
    if attachment.ticket_id is None:
        if attachment.uploaded_by_id != staff.id and not staff.is_admin:
            raise NotFound(_("Attachment not found."))
        return attachment
    ticket = db.session.get(Ticket, attachment.ticket_id)
    if ticket is None:
        raise NotFound(_("Attachment not found."))
    require(staff, ticket, "view")
    return attachment


def read(attachment: Attachment) -> bytes:
    return get_storage().get(attachment.storage_key)
