"""Secrets sent to a staff member (an invitation or a password-reset link) and kept only as
their SHA-256: the shape both links share."""
import hashlib
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKeyConstraint, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from app.db_types import Id, UtcDateTime, utcnow
from app.errors import NotFound, ValidationFailed
from app.extensions import db
from app.staff.models import Staff
from tenants.passwords import hash_password, password_problem
from tenants.resolve import enter_tenant_for
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


def find_open_link(model: type[OneTimeLink], resolver: str, token: str,
                   gone_message) -> tuple[OneTimeLink, Staff]:
    """The open link behind ``token`` and its staff member, entering the link's tenant (the
    link names no tenant, the token does: ``resolver`` finds it). NotFound, with
    ``gone_message``, when the link is unknown, used, expired or its person was removed.
    ``gone_message`` is a lazy string: translating it picks the language, which may read the
    browser's session, and that must not happen before the link's tenant is entered."""
    token_hash = digest(token)
    link = staff = None
    if enter_tenant_for(resolver, token_hash) is not None:
        link = db.session.scalar(select(model).where(model.token_hash == token_hash))
    if link is not None:
        staff = db.session.get(Staff, link.staff_id)
    if (link is None or link.used_at is not None or link.expires_at <= utcnow()
            or staff is None or not staff.active):
        raise NotFound(gone_message)
    return link, staff


def set_password_by_link(link: OneTimeLink, staff: Staff, password: str) -> None:
    """Give ``staff`` the password chosen through ``link`` (same strength rules as
    everywhere) and use the link up."""
    problem = password_problem(password or "", personal=(staff.email.split("@")[0], staff.name))
    if problem:
        raise ValidationFailed(fields={"password": problem})
    staff.password_hash = hash_password(password)
    link.used_at = utcnow()
