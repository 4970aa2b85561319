"""The website widget's settings: one row per tenant (the widget key is on the tenant)."""
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import Json, UtcDateTime, utcnow
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
