"""The mailbox area's tables: the connected mailbox, a consent in progress, the ingestion
log (one entry per Gmail message), replies sent out through Gmail, and imported letters as
they came."""
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import Id, UtcDateTime, utcnow
from app.extensions import db
from tenants.scoping import TenantScoped

MAILBOX_STATUSES = ("connected", "needs_reconnect", "disconnected")
ENTRY_STATUSES = ("imported", "skipped", "failed")
REPLY_STATUSES = ("pending", "sent", "failed")


def _in(values: tuple) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


class Mailbox(TenantScoped, db.Model):
    """The tenant's Gmail mailbox (one per tenant). The refresh token is stored encrypted
    and removed on disconnect; the row stays, so the log keeps its entries and a
    reconnected mailbox imports nothing twice. Sync state: ``history_id`` (incremental
    syncs start there), and during a full sync the history id taken when it began."""

    __tablename__ = "gmail_mailboxes"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id"),
        CheckConstraint(f"status IN {_in(MAILBOX_STATUSES)}", name="status"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    status: Mapped[str] = mapped_column(String(20), default="connected")
    refresh_token: Mapped[str | None] = mapped_column(Text)  # Fernet token
    connected_by_id: Mapped[int | None] = mapped_column(BigInteger)  # no FK: staff may go
    connected_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    query: Mapped[str] = mapped_column(String(500), default="")
    history_id: Mapped[str | None] = mapped_column(String(32))
    full_sync_history_id: Mapped[str | None] = mapped_column(String(32))
    progress_done: Mapped[int] = mapped_column(Integer, default=0)
    progress_total: Mapped[int] = mapped_column(Integer, default=0)
    last_sync_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_message_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    retry_after: Mapped[datetime | None] = mapped_column(UtcDateTime)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    label_id: Mapped[str | None] = mapped_column(String(64))  # the label imports are given
    labels_behind: Mapped[bool] = mapped_column(Boolean, default=False)  # some log entries wait

    @property
    def syncing_first(self) -> bool:
        return self.history_id is None and self.status == "connected"


class ConsentState(TenantScoped, db.Model):
    """A consent in progress: the ``state`` Google sends back (kept hashed), the PKCE
    verifier, the admin who started it. Single use (deleted when it returns), short-lived."""

    __tablename__ = "gmail_consent_states"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("state_hash"),
        ForeignKeyConstraint(["tenant_id", "staff_id"], ["staff.tenant_id", "staff.id"],
                             ondelete="CASCADE"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    state_hash: Mapped[str] = mapped_column(String(64))
    staff_id: Mapped[int] = mapped_column(BigInteger)
    code_verifier: Mapped[str] = mapped_column(String(128))
    redirect_uri: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)


class LogEntry(TenantScoped, db.Model):
    """What became of one Gmail message: imported (into ``ticket_id``), skipped (``reason``
    says why) or failed (``reason`` is the error). One per mailbox and Gmail id: that is what
    makes a re-run sync import nothing twice."""

    __tablename__ = "gmail_log"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "mailbox_id", "gmail_id"),
        ForeignKeyConstraint(["tenant_id", "mailbox_id"],
                             ["gmail_mailboxes.tenant_id", "gmail_mailboxes.id"],
                             ondelete="CASCADE"),
        CheckConstraint(f"status IN {_in(ENTRY_STATUSES)}", name="status"),
        Index("ix_gmail_log_message_id", "tenant_id", "message_id"),
        Index("ix_gmail_log_thread", "tenant_id", "thread_id"),
        Index("ix_gmail_log_status", "tenant_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    mailbox_id: Mapped[int] = mapped_column(BigInteger)
    gmail_id: Mapped[str] = mapped_column(String(64))
    thread_id: Mapped[str] = mapped_column(String(64), default="")
    message_id: Mapped[str] = mapped_column(String(300), default="")
    from_address: Mapped[str] = mapped_column(String(254), default="")
    subject: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    ticket_id: Mapped[int | None] = mapped_column(BigInteger)  # no FK: the log outlives tickets
    ticket_number: Mapped[int | None] = mapped_column(BigInteger)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    label_pending: Mapped[bool] = mapped_column(Boolean, default=False)  # Gmail refused it


class OutgoingReply(TenantScoped, db.Model):
    """An agent's public reply on its way out through Gmail: pending, sent (with Gmail's ids
    and our Message-ID, which the customer's answer will cite) or failed (``error``)."""

    __tablename__ = "gmail_replies"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "message_id"),
        ForeignKeyConstraint(["tenant_id", "ticket_id"], ["tickets.tenant_id", "tickets.id"],
                             ondelete="CASCADE"),
        ForeignKeyConstraint(["tenant_id", "message_id"], ["messages.tenant_id", "messages.id"],
                             ondelete="CASCADE"),
        CheckConstraint(f"status IN {_in(REPLY_STATUSES)}", name="status"),
        Index("ix_gmail_replies_ticket", "tenant_id", "ticket_id"),
        Index("ix_gmail_replies_rfc_id", "tenant_id", "rfc_message_id"),
        Index("ix_gmail_replies_thread", "tenant_id", "gmail_thread_id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)
    rfc_message_id: Mapped[str] = mapped_column(String(300))
    gmail_id: Mapped[str] = mapped_column(String(64), default="")
    gmail_thread_id: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Original(TenantScoped, db.Model):
    """An imported letter as it came (RFC 822 bytes, zlib-compressed) beside the ticket
    message it became, for "show original" and the .eml download; gone with the message.
    ``size`` is the letter's own; ``headers_only`` when it was over the cap and only its
    header block was kept."""

    __tablename__ = "gmail_originals"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "message_id"),
        ForeignKeyConstraint(["tenant_id", "message_id"], ["messages.tenant_id", "messages.id"],
                             ondelete="CASCADE"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    message_id: Mapped[int] = mapped_column(BigInteger)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(BigInteger)
    headers_only: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
