"""Tickets, their conversation (messages), links between tickets, and the per-tenant counter."""
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.customers.models import Customer
from app.db_types import Id, Json, UtcDateTime, utcnow
from app.extensions import db
from app.tickets.constants import CHANNELS, MESSAGE_AUTHORS, PRIORITIES, STATUSES, TYPES, sql_in
from tenants.scoping import TenantScoped

# One row per tenant: the last ticket number handed out. Bumped with
# INSERT … ON CONFLICT … DO UPDATE … RETURNING, so concurrent creations serialize on the row.
ticket_counters = Table(
    "ticket_counters", db.metadata,
    Column("tenant_id", BigInteger, ForeignKey("tenants.id", ondelete="CASCADE"),
           primary_key=True),
    Column("last_number", BigInteger, nullable=False),
)

# The daily views (inbox) never show trashed, archived or deferred tickets; partial
# indexes over just those rows keep keyset pages fast however large the archive grows.
INBOX_WHERE = text("deleted_at IS NULL AND archived_at IS NULL AND NOT deferred")


def _inbox_index(name: str, *columns: str) -> Index:
    return Index(name, *columns, postgresql_where=INBOX_WHERE, sqlite_where=INBOX_WHERE)


class Ticket(TenantScoped, db.Model):
    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "number"),
        ForeignKeyConstraint(["tenant_id", "customer_id"], ["customers.tenant_id", "customers.id"]),
        ForeignKeyConstraint(["tenant_id", "organization_id"],
                             ["organizations.tenant_id", "organizations.id"]),
        ForeignKeyConstraint(["tenant_id", "department_id"],
                             ["departments.tenant_id", "departments.id"]),
        ForeignKeyConstraint(["tenant_id", "assignee_id"], ["staff.tenant_id", "staff.id"]),
        ForeignKeyConstraint(["tenant_id", "merged_into_id"], ["tickets.tenant_id", "tickets.id"]),
        CheckConstraint(f"status IN {sql_in(STATUSES)}", name="status"),
        CheckConstraint(f"priority IN {sql_in(PRIORITIES)}", name="priority"),
        CheckConstraint(f"type IS NULL OR type IN {sql_in(TYPES)}", name="type"),
        CheckConstraint(f"channel IN {sql_in(CHANNELS)}", name="channel"),
        CheckConstraint("escalation_level BETWEEN 1 AND 3", name="escalation_level"),
        _inbox_index("ix_tickets_inbox", "tenant_id", "id"),
        _inbox_index("ix_tickets_inbox_status", "tenant_id", "status", "id"),
        _inbox_index("ix_tickets_inbox_assignee", "tenant_id", "assignee_id", "id"),
        _inbox_index("ix_tickets_inbox_department", "tenant_id", "department_id", "id"),
        # "Mine" and "my departments" views walk these per status (see listing.page).
        _inbox_index("ix_tickets_inbox_assignee_status", "tenant_id", "assignee_id", "status",
                     "id"),
        _inbox_index("ix_tickets_inbox_department_status", "tenant_id", "department_id",
                     "status", "id"),
        Index("ix_tickets_customer", "tenant_id", "customer_id", "id"),
        Index("ix_tickets_deleted", "tenant_id", "deleted_at"),
        # The spam view: the few requests a stop list held back (app/spam).
        Index("ix_tickets_spam", "tenant_id", "id", postgresql_where=text("spam"),
              sqlite_where=text("spam")),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    number: Mapped[int] = mapped_column(BigInteger)
    subject: Mapped[str] = mapped_column(String(500))
    customer_id: Mapped[int] = mapped_column(BigInteger)
    organization_id: Mapped[int | None] = mapped_column(BigInteger)
    department_id: Mapped[int | None] = mapped_column(BigInteger)
    assignee_id: Mapped[int | None] = mapped_column(BigInteger)
    type: Mapped[str | None] = mapped_column(String(32))
    priority: Mapped[str] = mapped_column(String(16), default="normal")
    status: Mapped[str] = mapped_column(String(16), default="new")
    channel: Mapped[str] = mapped_column(String(16))
    tags: Mapped[list] = mapped_column(Json, default=list)
    custom_fields: Mapped[dict] = mapped_column(Json, default=dict)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    first_response_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    archived_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    deferred: Mapped[bool] = mapped_column(Boolean, default=False)
    # Held back by a stop list: kept, out of the daily views until "not spam" (app/spam).
    spam: Mapped[bool] = mapped_column(Boolean, default=False)
    # The website vouched for the requester's address (the widget's identity verification).
    requester_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    merged_into_id: Mapped[int | None] = mapped_column(BigInteger)
    escalation_level: Mapped[int] = mapped_column(Integer, default=1)
    # Bumped on every public message and status change: the composer sends the version it
    # showed, and a reply that crosses a colleague's is held (collision protection).
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Filled by the SLA engine.
    first_response_due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    resolution_due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    sla_paused_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    sla_paused_seconds: Mapped[int] = mapped_column(Integer, default=0)
    sla_breached: Mapped[bool] = mapped_column(Boolean, default=False)
    # The routing rule that fired at creation (no FK: rules may be deleted later).
    routing_rule_id: Mapped[int | None] = mapped_column(BigInteger)

    # "selectin": a page of tickets loads its requesters in one more query; a join in the
    # page query itself misleads the planner (row-level security hides the row counts).
    customer: Mapped[Customer] = relationship(
        Customer, primaryjoin="foreign(Ticket.customer_id) == Customer.id", viewonly=True,
        lazy="selectin")

    @property
    def is_open(self) -> bool:
        return self.status not in ("resolved", "closed")

    def __repr__(self) -> str:
        return f"<Ticket #{self.number}>"


class Message(TenantScoped, db.Model):
    """One entry of the conversation: a public reply, a private note, or a system line."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        ForeignKeyConstraint(["tenant_id", "ticket_id"], ["tickets.tenant_id", "tickets.id"],
                             ondelete="CASCADE"),
        ForeignKeyConstraint(["tenant_id", "staff_id"], ["staff.tenant_id", "staff.id"]),
        ForeignKeyConstraint(["tenant_id", "customer_id"], ["customers.tenant_id", "customers.id"]),
        CheckConstraint(f"author_kind IN {sql_in(MESSAGE_AUTHORS)}", name="author_kind"),
        Index("ix_messages_ticket", "tenant_id", "ticket_id", "id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(BigInteger)
    author_kind: Mapped[str] = mapped_column(String(16))
    staff_id: Mapped[int | None] = mapped_column(BigInteger)
    customer_id: Mapped[int | None] = mapped_column(BigInteger)
    author_name: Mapped[str] = mapped_column(String(200), default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    body_text: Mapped[str] = mapped_column(Text, default="")  # for search and previews
    internal: Mapped[bool] = mapped_column(Boolean, default=False)
    ticket_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    # Only for writing a new ticket and its first message in one flush (the ticket's id is
    # filled in); reading it would be a hidden query, so that raises.
    ticket: Mapped[Ticket] = relationship(
        Ticket, primaryjoin="foreign(Message.ticket_id) == Ticket.id", lazy="raise_on_sql")


class TicketLink(TenantScoped, db.Model):
    """Two related tickets; stored once with the lower id first."""

    __tablename__ = "ticket_links"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "ticket_id"], ["tickets.tenant_id", "tickets.id"],
                             ondelete="CASCADE"),
        ForeignKeyConstraint(["tenant_id", "linked_id"], ["tickets.tenant_id", "tickets.id"],
                             ondelete="CASCADE"),
        CheckConstraint("ticket_id < linked_id", name="ordered"),
        Index("ix_ticket_links_linked", "tenant_id", "linked_id"),
    )

    ticket_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    linked_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class CustomField(TenantScoped, db.Model):
    """A field the tenant admin adds to tickets: text, number, select or checkbox."""

    __tablename__ = "custom_fields"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "key"),
        CheckConstraint("kind IN ('text', 'number', 'select', 'checkbox')", name="kind"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    options: Mapped[list] = mapped_column(Json, default=list)
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class DeskSettings(TenantScoped, db.Model):
    """The help desk's per-tenant settings as one JSON document (attachment rules, …)."""

    __tablename__ = "desk_settings"

    tenant_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True)
    data: Mapped[dict] = mapped_column(Json, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class TicketCompletion(TenantScoped, db.Model):
    """A ticket registered in its request whose creation a job completes after the commit
    (search document, events, letters): written with the ticket, deleted by the completion;
    one left behind (a worker died) is completed by the periodic sweep. ``data``: what the
    completion needs that the ticket does not hold (the visitor's language, whether the
    requester was new, how many files came)."""

    __tablename__ = "ticket_completions"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "ticket_id"], ["tickets.tenant_id", "tickets.id"],
                             ondelete="CASCADE"),
        Index("ix_ticket_completions_registered_at", "registered_at"),
    )

    tenant_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True)
    ticket_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    registered_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    data: Mapped[dict] = mapped_column(Json, default=dict)
