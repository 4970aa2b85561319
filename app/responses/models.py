"""Response templates: canned replies with placeholders, optionally tied to one department."""
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKeyConstraint,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import Id, UtcDateTime, utcnow
from app.extensions import db
from app.tickets.constants import PRIORITIES, STATUSES, sql_in
from tenants.scoping import TenantScoped


class ResponseTemplate(TenantScoped, db.Model):
    __tablename__ = "response_templates"
    __event_type__ = "response_template"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "name"),
        # No ON DELETE here: the migration uses PostgreSQL's SET NULL (column) so that
        # deleting a department or a staff member clears only that reference.
        ForeignKeyConstraint(["tenant_id", "department_id"],
                             ["departments.tenant_id", "departments.id"]),
        ForeignKeyConstraint(["tenant_id", "set_assignee_id"], ["staff.tenant_id", "staff.id"]),
        CheckConstraint(f"set_status IS NULL OR set_status IN {sql_in(STATUSES)}",
                        name="set_status"),
        CheckConstraint(f"set_priority IS NULL OR set_priority IN {sql_in(PRIORITIES)}",
                        name="set_priority"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    department_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    set_status: Mapped[str | None] = mapped_column(String(16))
    set_priority: Mapped[str | None] = mapped_column(String(16))
    set_assignee_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    def actions(self) -> dict:
        """What applying the template changes on the ticket, besides inserting the text."""
        return {key: value for key, value in (("status", self.set_status),
                                              ("priority", self.set_priority),
                                              ("assignee_id", self.set_assignee_id))
                if value is not None}
