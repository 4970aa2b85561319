"""Secrets sent to a staff member (an invitation or a password-reset link) and kept only as
their SHA-256: the shape both links share."""
import hashlib
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKeyConstraint, String, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from app.db_types import Id, UtcDateTime, utcnow
from tenants.scoping import TenantScoped


def digest(secret: str) -> str:
    """What is stored of a link's token or a session's key."""
    return hashlib.sha256((secret or "").encode()).hexdigest()


def staff_table_args() -> tuple:
    """A staff member's row of a tenant: its key and its owner both include ``tenant_id``."""
    return (
        UniqueConstraint("tenant_id", "id"),
        ForeignKeyConstraint(["tenant_id", "staff_id"], ["staff.tenant_id", "staff.id"],
                             ondelete="CASCADE"),
    )


class OneTimeLink(TenantScoped):
    """Mixin: a link for one staff member, valid until ``expires_at``, used once."""

    @declared_attr.directive
    def __table_args__(cls) -> tuple:
        return staff_table_args()

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    staff_id: Mapped[int] = mapped_column(BigInteger, index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
