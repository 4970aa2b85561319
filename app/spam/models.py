"""The tenant's stop lists: one row per tenant (addresses, domains, words)."""
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import Json, UtcDateTime, utcnow
from app.extensions import db
from tenants.scoping import TenantScoped


class StopList(TenantScoped, db.Model):
    """Requests from these addresses or domains, or with these words in the subject or the
    message, are stored as spam: kept, out of the daily views, restorable."""

    __tablename__ = "stop_lists"

    tenant_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True)
    addresses: Mapped[list] = mapped_column(Json, default=list)
    domains: Mapped[list] = mapped_column(Json, default=list)
    words: Mapped[list] = mapped_column(Json, default=list)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
