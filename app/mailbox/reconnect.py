"""A mailbox whose refresh token stopped working (``invalid_grant``: the password changed,
access was removed in the Google account): marked "needs reconnecting", the admins told by
a banner and a letter. Nothing else stops: other tenants' mailboxes, the widget, the portal
all go on; this mailbox is skipped until an admin connects it again."""
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from app.events.service import record_event
from app.extensions import db
from app.mailbox import status
from app.mailbox.models import Mailbox
from app.staff.models import Staff
from integrations.mail.outbox import send_mail
from tenants.resolve import current_tenant


def admin_addresses() -> list[str]:
    return list(db.session.scalars(select(Staff.email).where(
        Staff.role == "admin", Staff.active.is_(True)).order_by(Staff.id)))


def needs_reconnecting(mailbox: Mailbox, error: str) -> None:
    """Mark the mailbox and tell the admins (the letter leaves after the commit)."""
    if mailbox.status == "needs_reconnect":
        return
    mailbox.status, mailbox.last_error = "needs_reconnect", error[:2000]
    status.changed()
    record_event(None, "gmail.needs_reconnect", ("gmail", mailbox.id),
                 {"email": mailbox.email, "error": error[:300]})
    tenant = current_tenant()
    recipients = admin_addresses()
    if not recipients:
        return
    with force_locale(getattr(tenant, "language", None) or "en"):
        subject = _("Reconnect your Gmail mailbox %(email)s", email=mailbox.email)
        text = _("Google no longer accepts the help desk's access to %(email)s, so its mail "
                 "is not being imported. Nothing already imported is affected, and the "
                 "mailbox's new letters wait in Gmail. Connect it again: %(link)s",
                 email=mailbox.email,
                 link=current_app.config["BASE_URL"] + "/app/integrations/gmail/")
    send_mail(tenant_id=mailbox.tenant_id, to=recipients, subject=str(subject), text=str(text),
              kind="gmail_reconnect")
