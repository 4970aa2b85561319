from datetime import datetime
from typing import Literal, get_args

from flask_login import UserMixin
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKeyConstraint,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import Id, UtcDateTime, utcnow
from app.extensions import db
from tenants.scoping import TenantScoped

# Defined once: the API's models use the types, the services the tuples taken from them.
Role = Literal["admin", "manager", "agent"]
Access = Literal["view", "reply", "manage"]
ROLES: tuple[str, ...] = get_args(Role)
ACCESS_LEVELS: tuple[str, ...] = get_args(Access)


class Staff(TenantScoped, UserMixin, db.Model):
    __tablename__ = "staff"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "email"),
        CheckConstraint("role IN ('admin', 'manager', 'agent')", name="role"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="agent")
    language: Mapped[str | None] = mapped_column(String(5))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    # The key of the login session this object was signed in or loaded with
    # (app/auth/sessions.py); the login id, and so every login cookie, carries it.
    session_key = None

    def get_id(self) -> str:
        return f"{self.tenant_id}:{self.id}:{self.session_key or ''}"

    def __eq__(self, other):
        # The same person whichever session they were loaded with (UserMixin compares ids).
        if not isinstance(other, Staff):
            return NotImplemented
        if self.id is None or other.id is None:
            return self is other
        return (self.tenant_id, self.id) == (other.tenant_id, other.id)

    __hash__ = object.__hash__

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def invited(self) -> bool:
        """Invited by e-mail and has not chosen a password yet."""
        return self.password_hash == "!"

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


class DepartmentAccess(TenantScoped, db.Model):
    """A staff member's right in one department: view < reply < manage."""

    __tablename__ = "department_access"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "staff_id"], ["staff.tenant_id", "staff.id"], ondelete="CASCADE"
        ),
        ForeignKeyConstraint(
            ["tenant_id", "department_id"],
            ["departments.tenant_id", "departments.id"],
            ondelete="CASCADE",
        ),
        CheckConstraint("access IN ('view', 'reply', 'manage')", name="access"),
    )

    staff_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    department_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, index=True)
    access: Mapped[str] = mapped_column(String(8))
