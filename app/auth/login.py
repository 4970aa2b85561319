"""Checking a staff member's password, throttled by account and address (never locked)."""
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from app.auth import throttle
from app.auth.devices import device_for
from app.db_types import utcnow
from app.errors import RateLimited, Unauthorized
from app.events.service import record_event
from app.extensions import db
from app.staff.models import Staff
from tenants.context import current_tenant_id
from tenants.passwords import dummy_hash, verify_password


def _throttle_key(staff: Staff | None, email: str, address: str | None,
                  device: str | None) -> str:
    known = device_for(device, staff) if staff is not None else None
    if known is not None:
        return throttle.device_key(staff.tenant_id, staff.id, known)
    return throttle.address_key(current_tenant_id(), email, address)


def authenticate(*, email: str, password: str, address: str | None = None,
                 device: str | None = None) -> Staff:
    """Check credentials in the current tenant, sent from ``address`` with the browser's
    known-device cookie ``device`` (if any). Wrong passwords slow down further tries from
    the same address or browser (``app/auth/throttle.py``); a failure is recorded and kept
    although the request fails (``keep_changes``)."""
    email = (email or "").strip().lower()
    staff = db.session.scalar(select(Staff).where(Staff.email == email))
    if staff is not None and not staff.active:
        staff = None
    anonymous = {"type": "anonymous", "name": email}
    key = _throttle_key(staff, email, address, device)
    wait = throttle.wait_seconds(key)
    if wait:
        record_event(anonymous, "login.throttled", staff, {"email": email, "wait": wait})
        raise RateLimited(ngettext(
            "Too many wrong passwords from here. Try again in %(num)d second.",
            "Too many wrong passwords from here. Try again in %(num)d seconds.", wait),
            retry_after=wait, keep_changes=True)
    if staff is None:
        verify_password(dummy_hash(), password or "")  # the same time as for a real account
    if staff is None or not verify_password(staff.password_hash, password or ""):
        delay = throttle.failed(key)
        record_event(anonymous, "login.failed", staff,
                     {"email": email, "reason": "unknown" if staff is None else "password",
                      "wait": delay})
        raise Unauthorized(_("Wrong e-mail or password."), keep_changes=True)
    throttle.succeeded(key)
    staff.last_login_at = utcnow()
    record_event(staff, "login.succeeded", staff)
    return staff
