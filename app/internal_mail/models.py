"""Internal mail: conversations between staff of one tenant, who takes part, what they
wrote, and the tickets a conversation is about.

Each participant keeps the id of the last message they have read; what is newer (and not
their own) is unread. Staff who wrote or took part are deactivated, not deleted, so the
conversation keeps its authors (``app.staff`` asks through ``staff_deleting``).
"""
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKeyConstraint, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import Id, UtcDateTime, utcnow
from app.extensions import db
from tenants.scoping import TenantScoped


def _staff_key(column: str) -> ForeignKeyConstraint:
    return ForeignKeyConstraint(["tenant_id", column], ["staff.tenant_id", "staff.id"],
                                ondelete="CASCADE")


def _conversation_key() -> ForeignKeyConstraint:
    return ForeignKeyConstraint(["tenant_id", "conversation_id"],
                                ["internal_conversations.tenant_id",
                                 "internal_conversations.id"], ondelete="CASCADE")


class Conversation(TenantScoped, db.Model):
    __tablename__ = "internal_conversations"
    __event_type__ = "internal_conversation"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        _staff_key("started_by_id"),
        Index("ix_internal_conversations_last", "tenant_id", "last_message_id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    subject: Mapped[str] = mapped_column(String(200))
    started_by_id: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_message_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # The newest message's id: the inbox's order and its keyset (ids only grow).
    last_message_id: Mapped[int] = mapped_column(BigInteger, default=0)


class Participant(TenantScoped, db.Model):
    __tablename__ = "internal_participants"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "conversation_id", "staff_id"),
        _conversation_key(),
        _staff_key("staff_id"),
        Index("ix_internal_participants_staff", "tenant_id", "staff_id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(BigInteger)
    staff_id: Mapped[int] = mapped_column(BigInteger)
    last_read_message_id: Mapped[int] = mapped_column(BigInteger, default=0)


class InternalMessage(TenantScoped, db.Model):
    __tablename__ = "internal_messages"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        _conversation_key(),
        _staff_key("author_id"),
        Index("ix_internal_messages_conversation", "tenant_id", "conversation_id", "id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(BigInteger)
    author_id: Mapped[int] = mapped_column(BigInteger)
    body_html: Mapped[str] = mapped_column(Text)
    body_text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class TicketLink(TenantScoped, db.Model):
    """A ticket the conversation is about."""

    __tablename__ = "internal_ticket_links"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "conversation_id", "ticket_id"),
        _conversation_key(),
        ForeignKeyConstraint(["tenant_id", "ticket_id"], ["tickets.tenant_id", "tickets.id"],
                             ondelete="CASCADE"),
        Index("ix_internal_ticket_links_ticket", "tenant_id", "ticket_id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(BigInteger)
    ticket_id: Mapped[int] = mapped_column(BigInteger)
