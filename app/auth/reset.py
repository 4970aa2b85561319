"""Forgotten passwords: a one-time link by e-mail, valid for an hour.

The answer to a request never says whether the address is a staff member's; requests are
limited per address (here) and per client address (the view's rate limit). The link names
no tenant: its token does, through the ``tenant_by_reset_hash`` resolver.
"""
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from app.auth.sessions import end_sessions
from app.db_types import utcnow
from app.events.service import record_event
from app.extensions import db
from app.staff.links import OneTimeLink, digest, find_open_link, set_password_by_link
from app.staff.models import Staff
from integrations.mail.outbox import send_mail
from tenants import context
from tenants.resolve import current_tenant

VALID_FOR = timedelta(hours=1)
LETTERS_PER_HOUR = 3  # per address: a mailbox is not flooded by someone else's requests


class PasswordReset(OneTimeLink, db.Model):
    """A reset link; only the SHA-256 of its token is stored."""

    __tablename__ = "password_resets"


def _over_limit(email: str) -> bool:
    """Count a request for ``email`` in this tenant; True past the hourly limit."""
    redis = current_app.extensions["redis"]
    key = f"password-reset:{context.current_tenant_id()}:{digest(email)[:32]}"
    count = redis.incr(key)
    if count == 1:
        redis.expire(key, 3600)
    return count > LETTERS_PER_HOUR


def request_reset(*, email: str) -> None:
    """E-mail a reset link to the staff member with ``email`` in the current tenant, if
    there is one; earlier open links stop working. Returns nothing either way, so the
    caller cannot answer differently for a stranger's address."""
    email = (email or "").strip().lower()
    if not email or _over_limit(email):
        return
    staff = db.session.scalar(select(Staff).where(Staff.email == email, Staff.active))
    if staff is None:
        return
    now = utcnow()
    db.session.execute(update(PasswordReset).where(
        PasswordReset.staff_id == staff.id, PasswordReset.used_at.is_(None),
        PasswordReset.expires_at > now).values(expires_at=now))
    token = secrets.token_urlsafe(32)
    db.session.add(PasswordReset(staff_id=staff.id, token_hash=digest(token), created_at=now,
                                 expires_at=now + VALID_FOR))
    db.session.flush()
    tenant = current_tenant()
    link = f"{current_app.config['BASE_URL']}/password-reset/{token}"
    with force_locale(staff.language or tenant.language or "en"):
        subject = _("Reset your password for the %(company)s help desk", company=tenant.name)
        text = _("Hello %(name)s,\n\nsomeone, hopefully you, asked to reset the password of "
                 "%(email)s at the %(company)s help desk. Choose a new password here (the link "
                 "works once, for one hour):\n%(link)s\n\nIf it was not you, ignore this "
                 "letter: your password stays as it is.",
                 name=staff.name, email=staff.email, company=tenant.name, link=link)
    record_event({"type": "anonymous", "name": email}, "password.reset_requested", staff,
                 {"email": email})
    send_mail(tenant_id=staff.tenant_id, to=[staff.email], subject=str(subject), text=str(text),
              kind="password_reset")


def find_reset(token: str) -> tuple[PasswordReset, Staff]:
    """The open reset behind a link, entering its tenant; NotFound when used or expired."""
    return find_open_link(PasswordReset, "tenant_by_reset_hash", token, _l(
        "This link is no longer valid. Ask for a new one on the login page."))


def complete_reset(*, token: str, password: str) -> Staff:
    """Set a new password through a reset link: the link is used up and every session of
    the staff member ends."""
    reset, staff = find_reset(token)
    set_password_by_link(reset, staff, password)
    ended = end_sessions(staff.id)
    record_event(staff, "password.reset_completed", staff, {"sessions_ended": ended})
    return staff
