"""The knowledge base's tables; every one is a tenant's, with keys that include tenant_id."""
from datetime import date, datetime
from typing import Literal, get_args

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
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
from app.languages import LANGUAGES, Language  # noqa: F401  (the articles' languages)
from app.tickets.constants import sql_in
from tenants.scoping import TenantScoped

CommentStatus = Literal["pending", "approved"]
COMMENT_STATUSES: tuple[str, ...] = get_args(CommentStatus)


class Category(TenantScoped, db.Model):
    """A section of the knowledge base; a category may sit in one top-level category."""

    __tablename__ = "kb_categories"
    __event_type__ = "kb_category"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "slug"),
        ForeignKeyConstraint(["tenant_id", "parent_id"],
                             ["kb_categories.tenant_id", "kb_categories.id"]),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Article(TenantScoped, db.Model):
    """An article in Markdown; ``body_html`` (sanitized) and ``body_text`` (for search,
    snippets and descriptions) are made from it whenever it changes."""

    __tablename__ = "kb_articles"
    __event_type__ = "kb_article"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        ForeignKeyConstraint(["tenant_id", "category_id"],
                             ["kb_categories.tenant_id", "kb_categories.id"]),
        ForeignKeyConstraint(["tenant_id", "author_id"], ["staff.tenant_id", "staff.id"]),
        CheckConstraint(f"language IN {sql_in(LANGUAGES)}", name="language"),
        Index("ix_kb_articles_category", "tenant_id", "category_id"),
        Index("ix_kb_articles_views", "tenant_id", "views"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    category_id: Mapped[int | None] = mapped_column(BigInteger)
    author_id: Mapped[int | None] = mapped_column(BigInteger)
    title: Mapped[str] = mapped_column(String(200))
    body_markdown: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    body_text: Mapped[str] = mapped_column(Text, default="")
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    draft: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str] = mapped_column(String(5))
    featured: Mapped[bool] = mapped_column(Boolean, default=False)
    views: Mapped[int] = mapped_column(BigInteger, default=0)
    helpful_yes: Mapped[int] = mapped_column(Integer, default=0)
    helpful_no: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    @property
    def published(self) -> bool:
        """Shown on the public site, in the widget and in the portal."""
        return self.public and not self.draft


class Comment(TenantScoped, db.Model):
    """A reader's comment on a public article: shown once a staff member approves it."""

    __tablename__ = "kb_comments"
    __event_type__ = "kb_comment"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        ForeignKeyConstraint(["tenant_id", "article_id"],
                             ["kb_articles.tenant_id", "kb_articles.id"], ondelete="CASCADE"),
        CheckConstraint("status IN ('pending', 'approved')", name="status"),
        Index("ix_kb_comments_article", "tenant_id", "article_id", "id"),
        Index("ix_kb_comments_status", "tenant_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    article_id: Mapped[int] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Feedback(TenantScoped, db.Model):
    """One "did this help?" answer, with the reader's optional comment."""

    __tablename__ = "kb_feedback"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        ForeignKeyConstraint(["tenant_id", "article_id"],
                             ["kb_articles.tenant_id", "kb_articles.id"], ondelete="CASCADE"),
        Index("ix_kb_feedback_article", "tenant_id", "article_id", "id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    article_id: Mapped[int] = mapped_column(BigInteger)
    helpful: Mapped[bool] = mapped_column(Boolean)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class DailyFigure(TenantScoped, db.Model):
    """How often something happened on one day of the tenant's calendar (``figures.KINDS``)."""

    __tablename__ = "kb_daily_figures"

    tenant_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger, default=0)


class ViewBatch(TenantScoped, db.Model):
    """The last batch of page views added to the tenant's articles, so that a flush a dead
    worker left half done is not added twice (``app.kb.views``)."""

    __tablename__ = "kb_view_batches"

    tenant_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True)
    batch: Mapped[str] = mapped_column(String(40))
    applied_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
