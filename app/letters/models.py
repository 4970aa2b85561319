"""A tenant's own letter templates (one per kind and language, over the defaults) and the
language each requester is written to in."""
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKeyConstraint,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import Id, UtcDateTime, utcnow
from app.extensions import db
from app.languages import LANGUAGES
from app.letters.kinds import KINDS
from app.tickets.constants import sql_in
from tenants.scoping import TenantScoped


class LetterTemplate(TenantScoped, db.Model):
    """The tenant's wording of one letter in one language; without a row the default is
    used. ``body`` is sanitized HTML with placeholders, ``subject`` plain text."""

    __tablename__ = "letter_templates"
    __event_type__ = "letter_template"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "kind", "language"),
        CheckConstraint(f"kind IN {sql_in(KINDS)}", name="kind"),
        CheckConstraint(f"language IN {sql_in(LANGUAGES)}", name="language"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(5))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class RequesterLanguage(TenantScoped, db.Model):
    """The language a requester wrote in last (the widget's or the portal's): their
    letters follow it; without a row, the tenant's language."""

    __tablename__ = "requester_languages"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "customer_id"),
        ForeignKeyConstraint(["tenant_id", "customer_id"],
                             ["customers.tenant_id", "customers.id"], ondelete="CASCADE"),
        CheckConstraint(f"language IN {sql_in(LANGUAGES)}", name="language"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    customer_id: Mapped[int] = mapped_column(BigInteger)
    language: Mapped[str] = mapped_column(String(5))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
