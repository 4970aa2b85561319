"""What the mailbox area plugs into the app: its pages and API, the nav entry, the
"reconnect" banner, the ticket page's notice of replies Gmail did not take and its "show
original" links, the inline images of the portal's messages, the receiver that sends agents'
replies through Gmail, and the Gmail transport for letters."""
from flask import get_template_attribute
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app import navigation
from app.mailbox import api as _api  # noqa: F401  (registers the API endpoints)
from app.mailbox import inline, original, original_views
from app.mailbox.replies import failed_replies, on_replied, owns_replies
from app.mailbox.sending import gmail_transport
from app.mailbox.status import mailbox_status
from app.mailbox.views import bp
from app.tickets.signals import ticket_replied
from integrations.mail.transports import register_reply_owner, register_tenant_transport


def reconnect_banner() -> list[dict]:
    if current_user.role != "admin":
        return []
    status = mailbox_status()
    if status is None or status[0] != "needs_reconnect":
        return []
    macro = get_template_attribute("mailbox/_banner.html", "reconnect")
    return [{"kind": "danger", "html": macro(email=status[1])}]


def init_app(app) -> None:
    app.register_blueprint(bp)
    navigation.add_entry(app, "mailbox.settings", _l("Gmail"), ("admin",))
    navigation.add_banners(app, reconnect_banner)
    ticket_replied.connect(on_replied, sender=app)
    register_tenant_transport(gmail_transport)
    register_reply_owner(owns_replies)
    app.add_template_global(failed_replies, "gmail_failed_replies")  # the ticket page
    app.register_blueprint(original_views.bp)
    app.add_template_global(original.with_originals, "gmail_originals")  # the ticket page
    app.add_template_global(inline.portal_links, "gmail_portal_links")  # the portal's
    original.init_app(app)
