"""Periodic ticket work for ``rq cron`` (declared in app/schedule.py)."""
from datetime import timedelta

from sqlalchemy import select

from app import unit_of_work
from app.db_types import utcnow
from app.extensions import db
from app.jobs import platform_job
from app.tickets.housekeeping import archive_closed
from app.tickets.models import Ticket
from app.tickets.settings import get_settings
from tenants import context


@context.platform_work
def archive_all() -> int:
    """Move tickets closed longer than each tenant's ``archive.after_days`` (default 30) to
    the archive: out of the daily views, still searchable. Idempotent."""
    with context.platform_scope():  # PLATFORM-WIDE: finding tenants with closed tickets
        tenant_ids = list(db.session.scalars(
            select(Ticket.tenant_id).where(Ticket.status == "closed",
                                           Ticket.archived_at.is_(None)).distinct()))

    def archive(tenant_id: int) -> int:
        days = int(get_settings("archive")["after_days"])
        return archive_closed(before=utcnow() - timedelta(days=days))

    return sum(unit_of_work.for_each_tenant(tenant_ids, archive))


@platform_job
def archive_closed_job() -> int:
    return archive_all()
