"""The operator audit log's table: global, append-only, unreadable by the application role
(migration 0018 says why it is not tenant-scoped)."""
from datetime import datetime

from sqlalchemy import BigInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import Id, Json, UtcDateTime, utcnow
from app.extensions import db


class OperatorAction(db.Model):
    """One thing the platform operator did. Rows are never updated or deleted (a trigger
    refuses it)."""

    __tablename__ = "operator_actions"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    action: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(16))  # console, cli
    # The tenant acted on, if any: no foreign key, the log outlives a deleted tenant.
    subject_tenant_id: Mapped[int | None] = mapped_column(BigInteger)
    tenant_slug: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict] = mapped_column(Json, default=dict)
    request_id: Mapped[str | None] = mapped_column(String(100))
