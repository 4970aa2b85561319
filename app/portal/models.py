"""The customer portal's tables: the links a requester follows, and their ratings."""
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import Id, UtcDateTime, utcnow
from app.extensions import db
from tenants.scoping import TenantScoped


class PortalLink(TenantScoped, db.Model):
    """One requester's link to one ticket. The URL carries ``key`` signed with the app's
    secret; the row is what lets a link expire (idle for 30 days, or revoked)."""

    __tablename__ = "portal_links"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "key"),
        ForeignKeyConstraint(["tenant_id", "ticket_id"], ["tickets.tenant_id", "tickets.id"],
                             ondelete="CASCADE"),
        ForeignKeyConstraint(["tenant_id", "customer_id"],
                             ["customers.tenant_id", "customers.id"], ondelete="CASCADE"),
        Index("ix_portal_links_ticket", "tenant_id", "ticket_id", "customer_id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(BigInteger)
    customer_id: Mapped[int] = mapped_column(BigInteger)
    key: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_used_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class TicketRating(TenantScoped, db.Model):
    """The requester's 1–5 rating of a resolved ticket, with an optional comment; one per
    ticket (rating again replaces it). ``rated_at`` is what reports count by."""

    __tablename__ = "ticket_ratings"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "ticket_id"),
        ForeignKeyConstraint(["tenant_id", "ticket_id"], ["tickets.tenant_id", "tickets.id"],
                             ondelete="CASCADE"),
        ForeignKeyConstraint(["tenant_id", "customer_id"],
                             ["customers.tenant_id", "customers.id"], ondelete="CASCADE"),
        CheckConstraint("score BETWEEN 1 AND 5", name="score"),
        Index("ix_ticket_ratings_rated_at", "tenant_id", "rated_at"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(BigInteger)
    customer_id: Mapped[int] = mapped_column(BigInteger)
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    rated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
