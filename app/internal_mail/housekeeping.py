"""Internal mail's answers to other areas: whom a staff member's removal would touch, and the
unread count in the navigation bar."""
from flask_login import current_user
from sqlalchemy import func, select

from app.extensions import db
from app.internal_mail.inbox import unread_total
from app.internal_mail.models import Participant


def references_to_staff(_app, *, staff_id: int) -> int:
    """Receiver of ``staff_deleting``: someone who wrote or takes part in a conversation is
    kept (deactivated), so colleagues' conversations keep their authors."""
    # Every author takes part in their conversation: counting places counts them too.
    return db.session.scalar(select(func.count()).select_from(Participant).where(
        Participant.staff_id == staff_id)) or 0


def unread_badge() -> int:
    """The number beside "Messages" in the navigation: what the signed-in person has not
    read (one query per page)."""
    return unread_total(current_user) if current_user.is_authenticated else 0
