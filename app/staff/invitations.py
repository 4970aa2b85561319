"""Inviting staff by e-mail: a one-time link to choose a password (valid for 7 days)."""
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from app.db_types import utcnow
from app.events.service import record_event
from app.extensions import db
from app.staff.links import OneTimeLink, digest, find_open_link, set_password_by_link
from app.staff.models import Staff
from app.staff.roles import require_role
from app.staff.service import EDITORS, create_staff, get_staff
from integrations.mail.outbox import send_mail
from tenants.resolve import current_tenant

VALID_FOR = timedelta(days=7)


class StaffInvitation(OneTimeLink, db.Model):
    """A pending invitation; only the SHA-256 of the link's token is stored."""

    __tablename__ = "staff_invitations"


def invite_staff(*, actor, name: str, email: str, role: str = "agent",
                 language: str | None = None, access: dict[int, str] | None = None) -> Staff:
    """Create the staff member without a password and e-mail them a link to choose one
    (admins, as for every staff change)."""
    staff = create_staff(actor=actor, name=name, email=email, password=None, role=role,
                         language=language, access=access)
    send_invitation(actor=actor, staff=staff)
    return staff


def resend_invitation(*, actor, staff_id: int) -> Staff:
    """Send staff member ``staff_id`` a fresh invitation (admins); earlier links stop working."""
    require_role(actor, EDITORS)
    staff = get_staff(staff_id)
    send_invitation(actor=actor, staff=staff)
    return staff


def send_invitation(*, actor, staff: Staff) -> None:
    """(Re)send the invitation letter (admins); earlier links stop working."""
    require_role(actor, EDITORS)
    db.session.execute(update(StaffInvitation).where(
        StaffInvitation.staff_id == staff.id, StaffInvitation.used_at.is_(None)
    ).values(expires_at=utcnow()))
    token = secrets.token_urlsafe(32)
    db.session.add(StaffInvitation(staff_id=staff.id, token_hash=digest(token),
                                   expires_at=utcnow() + VALID_FOR))
    tenant = current_tenant()
    link = f"{current_app.config['BASE_URL']}/invite/{token}"
    with force_locale(staff.language or tenant.language or "en"):
        subject = _("You are invited to the %(company)s help desk", company=tenant.name)
        text = _("Hello %(name)s,\n\n%(inviter)s invited you to answer customers of %(company)s. "
                 "Choose your password here (the link works for 7 days):\n%(link)s",
                 name=staff.name, inviter=getattr(actor, "name", tenant.name),
                 company=tenant.name, link=link)
    db.session.flush()
    record_event(actor, "staff.invited", staff, {"email": staff.email})
    send_mail(tenant_id=staff.tenant_id, to=[staff.email], subject=str(subject), text=str(text),
              kind="invitation")


def find_invitation(token: str) -> tuple[StaffInvitation, Staff]:
    """The open invitation behind a link, entering its tenant; NotFound when used or expired."""
    return find_open_link(StaffInvitation, "tenant_by_invitation_hash", token, _l(
        "This invitation link is no longer valid; ask your admin for a new one."))


def accept_invitation(*, token: str, password: str) -> Staff:
    """Set the invited person's password and close the invitation."""
    invitation, staff = find_invitation(token)
    set_password_by_link(invitation, staff, password)
    record_event(staff, "staff.invitation_accepted", staff)
    return staff
