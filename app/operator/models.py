"""A tenant's data export: one row per request, in the tenant's own (walled) table, so the
job that builds it runs as the tenant, under row-level security, like any tenant job."""
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import Id, Json, UtcDateTime, utcnow
from app.extensions import db
from tenants.scoping import TenantScoped

STATUSES = ("queued", "done", "failed")


class TenantExport(TenantScoped, db.Model):
    __tablename__ = "tenant_exports"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        CheckConstraint("status IN ('queued', 'done', 'failed')", name="status"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    file_name: Mapped[str] = mapped_column(String(200), default="")
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    counts: Mapped[dict] = mapped_column(Json, default=dict)
    error: Mapped[str] = mapped_column(Text, default="")
