"""Staff authentication with a lockout after repeated wrong passwords."""
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app.db_types import utcnow
from app.errors import Unauthorized
from app.events.service import record_event
from app.extensions import db
from app.staff.models import Staff
from tenants.passwords import DUMMY_HASH, verify_password

LOCK_AFTER = 5
LOCK_FOR = timedelta(minutes=15)


def authenticate(*, email: str, password: str) -> Staff:
    """Check credentials in the current tenant. Failed attempts are committed before raising,
    so the count survives; after LOCK_AFTER failures the account is locked for LOCK_FOR."""
    email = (email or "").strip().lower()
    staff = db.session.scalar(select(Staff).where(Staff.email == email))
    now = utcnow()
    if staff is None or not staff.active:
        verify_password(DUMMY_HASH, password or "")
        record_event({"type": "anonymous", "name": email}, "login.failed", None,
                     {"email": email, "reason": "unknown"})
        db.session.commit()
        raise Unauthorized(_("Wrong e-mail or password."))
    locked = staff.locked_until
    if locked is not None and locked.tzinfo is None:
        locked = locked.replace(tzinfo=now.tzinfo)
    if locked is not None and locked > now:
        record_event({"type": "anonymous", "name": email}, "login.blocked", staff,
                     {"email": email})
        db.session.commit()
        minutes = max(1, int((locked - now).total_seconds() // 60) + 1)
        raise Unauthorized(_("Too many wrong passwords. Try again in %(n)d minutes.", n=minutes))
    if not verify_password(staff.password_hash, password or ""):
        staff.failed_logins += 1
        record_event({"type": "anonymous", "name": email}, "login.failed", staff,
                     {"email": email, "reason": "password", "attempt": staff.failed_logins})
        if staff.failed_logins >= LOCK_AFTER:
            staff.locked_until = now + LOCK_FOR
            staff.failed_logins = 0
            record_event(None, "login.locked", staff, {"until": staff.locked_until.isoformat()})
        db.session.commit()
        raise Unauthorized(_("Wrong e-mail or password."))
    staff.failed_logins = 0
    staff.locked_until = None
    staff.last_login_at = now
    record_event(staff, "login.succeeded", staff)
    return staff
