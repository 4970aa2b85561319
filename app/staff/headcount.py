"""What billing (below the areas) asks of the staff area through ``billing.signals``: how many
staff members count toward the plan, and who receives its letters (connected in
``app.staff.wiring``)."""
from sqlalchemy import func, select

from app.extensions import db
from app.staff.models import Staff


def count_active(_app, *, tenant_id: int) -> int:
    """Receiver of ``staff_counting``: the tenant's active staff members."""
    return db.session.scalar(select(func.count()).select_from(Staff).where(
        Staff.tenant_id == tenant_id, Staff.active))


def admin_addresses(_app, *, tenant_id: int) -> list[str]:
    """Receiver of ``recipients_listing``: every active admin of the (current) tenant."""
    return list(db.session.scalars(select(Staff.email).where(
        Staff.role == "admin", Staff.active).order_by(Staff.id)))
