"""Where a tenant's ticket letters leave from: its own mailbox when an integration offers
one, otherwise SMTP (``SMTP_URL``, or the local outbox without it).

An integration registers, once, a function that answers for a tenant::

    register_tenant_transport(gmail_sender)   # fn(tenant_id) -> send | None

``send(message: EmailMessage) -> str`` delivers one letter and says where it went. The
first registered function that answers (not None) for the tenant carries its letters; it is
asked inside the tenant's job (tenant context, database session), at delivery time, so a
mailbox connected or disconnected since the letter was queued is taken into account.

An integration that sends agents' public replies to the customer itself (in the mailbox's
own thread) says so with ``register_reply_owner(fn)`` — fn(tenant_id, ticket_id) -> bool —
and the letters area then sends no "reply" letter of its own for that ticket.

The registries are process-wide sets of plain functions (registering again is a no-op), so
several apps built in one process share them without doubling a transport.
"""
from collections.abc import Callable
from email.message import EmailMessage

from integrations.mail.sender import deliver

Send = Callable[[EmailMessage], str]
TransportFinder = Callable[[int], Send | None]
ReplyOwner = Callable[[int, int], bool]

_finders: list[TransportFinder] = []
_reply_owners: list[ReplyOwner] = []


def register_tenant_transport(fn: TransportFinder) -> None:
    """Offer ``fn(tenant_id) -> send | None`` as a way out for tenants' letters."""
    if fn not in _finders:
        _finders.append(fn)


def register_reply_owner(fn: ReplyOwner) -> None:
    """``fn(tenant_id, ticket_id)`` answers True when the agents' public replies of that
    ticket reach the customer another way (so no reply letter is sent)."""
    if fn not in _reply_owners:
        _reply_owners.append(fn)


def tenant_transport(tenant_id: int) -> Send:
    """The tenant's own transport (the first that answers), else SMTP."""
    for finder in _finders:
        send = finder(tenant_id)
        if send is not None:
            return send
    return deliver


def replies_sent_elsewhere(tenant_id: int, ticket_id: int) -> bool:
    return any(owner(tenant_id, ticket_id) for owner in _reply_owners)


def deliver_for_tenant(tenant_id: int, message: EmailMessage) -> str:
    """Send ``message`` the tenant's way; returns where it went."""
    return tenant_transport(tenant_id)(message)
