"""The website widget's tables: its settings (one row per tenant; the widget key is on the
tenant) and the visitors' requests waiting to become tickets."""
from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import Id, Json, UtcDateTime, utcnow
from app.extensions import db
from tenants.scoping import TenantScoped


class WidgetSettings(TenantScoped, db.Model):
    """What the admin chose: the sites that may embed the widget, the form, the look and the
    words; and the secret that signs a signed-in customer's address (identity verification)."""

    __tablename__ = "widget_settings"

    tenant_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True)
    allowed_origins: Mapped[list] = mapped_column(Json, default=list)
    fields: Mapped[list] = mapped_column(Json, default=list)  # [{name, label, required}]
    department_ids: Mapped[list] = mapped_column(Json, default=list)  # offered; [] = all
    colors: Mapped[dict] = mapped_column(Json, default=dict)
    texts: Mapped[dict] = mapped_column(Json, default=dict)
    language: Mapped[str] = mapped_column(String(5), default="")  # "": the visitor's browser
    identity_secret: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class WidgetRequest(TenantScoped, db.Model):
    """A visitor's request stored as it arrived, waiting for the job that makes it a ticket
    (``app.widget.registration``): the ticket id and number it reserved, the checked form,
    the visitor's language, whether the site vouched for the address, whether the day's
    quota admitted it, and the key of the portal link its answer carries. Deleted in the
    transaction that creates the ticket."""

    __tablename__ = "widget_requests"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "number"),
        UniqueConstraint("tenant_id", "link_key"),
        Index("ix_widget_requests_received_at", "received_at"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(BigInteger)  # reserved: the link names it
    number: Mapped[int] = mapped_column(BigInteger)
    payload: Mapped[dict] = mapped_column(Json, default=dict)
    language: Mapped[str | None] = mapped_column(String(5))
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    admitted: Mapped[bool] = mapped_column(Boolean, default=True)
    link_key: Mapped[str] = mapped_column(String(32))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
