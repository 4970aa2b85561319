from datetime import datetime

from sqlalchemy import BigInteger, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import Id, Json, UtcDateTime, utcnow
from app.extensions import db
from tenants.scoping import TenantScoped


class Event(TenantScoped, db.Model):
    """One thing that happened. Rows are never updated or deleted (a trigger refuses it)."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_tenant_at", "tenant_id", "id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    actor_type: Mapped[str] = mapped_column(String(16))  # staff, customer, system, anonymous
    actor_id: Mapped[int | None] = mapped_column(BigInteger)
    actor_name: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str] = mapped_column(String(32), default="")
    object_id: Mapped[str] = mapped_column(String(64), default="")
    data: Mapped[dict] = mapped_column(Json, default=dict)
    ip: Mapped[str | None] = mapped_column(String(45))

