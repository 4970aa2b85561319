"""A mailbox's Gmail client: its refresh token decrypted, and the access token it last got
kept in this process until shortly before it expires (an idle incremental sync then costs
one call to Google, not two)."""
from datetime import UTC, datetime, timedelta

from app.mailbox.models import Mailbox
from integrations.gmail import oauth, vault
from integrations.gmail.client import Gmail

_MARGIN = timedelta(minutes=2)
# (mailbox id, encrypted refresh token) -> (access token, expiry as google-auth keeps it)
_ACCESS: dict[tuple[int, str], tuple[str, datetime]] = {}


def gmail_for(mailbox: Mailbox) -> Gmail:
    """The Gmail API as the mailbox's account (``vault.Unreadable`` if the key changed)."""
    refresh = vault.decrypt(mailbox.refresh_token or "")
    key = (mailbox.id, mailbox.refresh_token or "")
    token, expiry = _ACCESS.get(key, (None, None))
    now = datetime.now(UTC).replace(tzinfo=None)  # google-auth's expiry is naive UTC
    if expiry is not None and expiry - _MARGIN <= now:
        token = expiry = None
    return Gmail(oauth.credentials(refresh, access_token=token, expiry=expiry))


def remember(mailbox: Mailbox, gmail: Gmail) -> None:
    """Keep the access token ``gmail`` holds now for the mailbox's next client."""
    credentials = gmail.credentials
    if credentials.token and credentials.expiry:
        _ACCESS[(mailbox.id, mailbox.refresh_token or "")] = (credentials.token,
                                                              credentials.expiry)


def forget(mailbox_id: int) -> None:
    for key in [k for k in _ACCESS if k[0] == mailbox_id]:
        _ACCESS.pop(key, None)
