"""The mailbox's status as every page's banner reads it: cached per tenant across requests
(``app.settings_cache``), refreshed when it changes (``changed``)."""
from sqlalchemy import select

from app.extensions import db
from app.mailbox.models import Mailbox
from app.settings_cache import cached, settings_changed


def _load() -> tuple[str, str] | None:
    row = db.session.execute(select(Mailbox.status, Mailbox.email).limit(1)).first()
    return (row.status, row.email) if row else None


def mailbox_status() -> tuple[str, str] | None:
    """(status, address) of the tenant's mailbox, or None."""
    return cached("gmail_status", _load)


def changed() -> None:
    """The mailbox's status changes in this transaction."""
    settings_changed()
