"""Routing rules: an ordered list per tenant; the first enabled rule that matches fires."""
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import Id, Json, UtcDateTime, utcnow
from app.extensions import db
from app.tickets.constants import PRIORITIES, TYPES, sql_in
from tenants.scoping import TenantScoped


class RoutingRule(TenantScoped, db.Model):
    __tablename__ = "routing_rules"
    __event_type__ = "routing_rule"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        # Cleared by PostgreSQL's SET NULL (column) in the migration; see ResponseTemplate.
        ForeignKeyConstraint(["tenant_id", "department_id"],
                             ["departments.tenant_id", "departments.id"]),
        ForeignKeyConstraint(["tenant_id", "assignee_id"], ["staff.tenant_id", "staff.id"]),
        CheckConstraint(f"priority IS NULL OR priority IN {sql_in(PRIORITIES)}",
                        name="priority"),
        CheckConstraint(f"type IS NULL OR type IN {sql_in(TYPES)}", name="type"),
        # Not unique: reordering rewrites positions row by row.
        Index("ix_routing_rules_tenant_position", "tenant_id", "position"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # {"channels": [...], "senders": [...], "words": [...], "words_in": "any|subject|body",
    #  "organization_ids": [...], "custom_fields": {key: value}}; absent keys match anything.
    conditions: Mapped[dict] = mapped_column(Json, default=dict)
    department_id: Mapped[int | None] = mapped_column(BigInteger)
    assignee_id: Mapped[int | None] = mapped_column(BigInteger)
    priority: Mapped[str | None] = mapped_column(String(16))
    type: Mapped[str | None] = mapped_column(String(32))
    tags: Mapped[list] = mapped_column(Json, default=list)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
