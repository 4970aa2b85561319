"""Signed links to the customer portal: ``/p/<slug>/t/<token>``.

The token is ``[tenant id, ticket id, key]`` signed with the app's ``SECRET_KEY``
(itsdangerous); ``key`` is a random id kept in ``portal_links``, so a link can expire: it
stops working after 30 days without use (each visit refreshes it) or when revoked. Other
areas call :func:`status_url` to put the link in what they send the requester (the widget's
answer, letters); it reuses the requester's open link for the ticket or makes a new one.
"""
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from flask import current_app
from itsdangerous import BadData, Signer, URLSafeSerializer
from sqlalchemy import select

from app.db_types import utcnow
from app.extensions import db
from app.portal.models import PortalLink
from app.tickets.models import Ticket
from app.tickets.writing import Companion
from app.widget.models import WidgetRequest
from tenants import context
from tenants.resolve import current_tenant

IDLE_LIMIT = timedelta(days=30)
# A visit refreshes the link's activity at most this often (no write on every reload).
TOUCH_EVERY = timedelta(minutes=1)
_SALT = "portal-link"


def _serializer() -> URLSafeSerializer:
    """The links' signer for the app's secret key, made once per key (every status link of
    every request and letter is signed or read with it)."""
    return _signer_for(current_app.config["SECRET_KEY"])


class _OnceSigner(Signer):
    """itsdangerous's signer with each key derived once (it derives it again for every
    signature it makes or checks)."""

    def derive_key(self, secret_key: str | bytes | None = None) -> bytes:
        derived = self.__dict__.setdefault("_derived", {})
        key = derived.get(secret_key)
        if key is None:
            key = derived[secret_key] = super().derive_key(secret_key)
        return key


class _LinkSerializer(URLSafeSerializer):
    """The serializer of the links: one signer for its salt, made once (itsdangerous makes
    one for every token it signs or reads); the tokens are the same."""

    default_signer = _OnceSigner

    def make_signer(self, salt: str | bytes | None = None) -> Signer:
        if salt is not None and salt != self.salt:
            return super().make_signer(salt)
        signer = self.__dict__.get("_signer")
        if signer is None:
            signer = self.__dict__["_signer"] = super().make_signer()
        return signer


@lru_cache(maxsize=4)
def _signer_for(secret_key) -> URLSafeSerializer:
    return _LinkSerializer(secret_key, salt=_SALT)


def token_of(link: PortalLink) -> str:
    return _serializer().dumps([link.tenant_id, link.ticket_id, link.key])


def portal_path(slug: str, token: str) -> str:
    return f"/p/{slug}/t/{token}"


def _active(link: PortalLink, now) -> bool:
    return link.revoked_at is None and link.last_used_at > now - IDLE_LIMIT


def link_for(ticket: Ticket) -> PortalLink:
    """The open link of ``ticket``'s requester to it, or a new one. Handing a link out
    (in a letter, on the widget) counts as activity: it stays valid 30 days from now."""
    now = utcnow()
    link = db.session.scalars(
        select(PortalLink).where(PortalLink.ticket_id == ticket.id,
                                 PortalLink.customer_id == ticket.customer_id,
                                 PortalLink.revoked_at.is_(None),
                                 PortalLink.last_used_at > now - IDLE_LIMIT)
        .order_by(PortalLink.id.desc()).limit(1)).first()
    if link is None:
        link = PortalLink(ticket_id=ticket.id, customer_id=ticket.customer_id,
                          key=secrets.token_urlsafe(16), created_at=now, last_used_at=now)
        db.session.add(link)
        db.session.flush()
    else:
        link.last_used_at = now
    return link


def status_url(ticket: Ticket, *, external: bool = True) -> str:
    """The portal address of ``ticket`` for its requester (absolute with ``BASE_URL``
    unless ``external`` is False). Call it inside the ticket's tenant; flushes, doesn't
    commit."""
    return _url(token_of(link_for(ticket)), external)


def _url(token: str, external: bool) -> str:
    path = portal_path(current_tenant().slug, token)
    return current_app.config["BASE_URL"] + path if external else path


def new_link_key() -> str:
    return secrets.token_urlsafe(16)


def new_ticket_link(key: str | None = None) -> Companion:
    """The requester's link to a ticket being registered, written in the ticket's own
    statement (``register_ticket``'s companions): a new ticket has no link to look for.
    ``key``: the one a stored request's answer already carries (``ticket_url``)."""
    now = utcnow()
    return Companion(PortalLink.__table__, {"key": key or new_link_key(),
                                            "created_at": now, "last_used_at": now},
                     from_ticket=("customer_id",))


def new_ticket_url(ticket: Ticket, link: Companion, *, external: bool = True) -> str:
    """``status_url`` of a ticket registered with ``link`` (from ``new_ticket_link``)."""
    return _url(_serializer().dumps([ticket.tenant_id, ticket.id, link.values["key"]]),
                external)


def ticket_url(slug: str, tenant_id: int, ticket_id: int, key: str) -> str:
    """The status link of the ticket ``ticket_id`` whose link has ``key``, made before the
    ticket exists (the widget's lean intake): until the ticket is made, the waiting
    request holding the key answers for it."""
    token = _serializer().dumps([tenant_id, ticket_id, key])
    return current_app.config["BASE_URL"] + portal_path(slug, token)


@dataclass(frozen=True)
class Found:
    """What a token leads to: ``state`` is ``ok``, ``expired`` or ``invalid``; ``link`` is
    set unless invalid; ``ticket_id`` is what a genuine token of this tenant names (also when
    expired), used to put that ticket first in a fresh-link letter."""

    state: str
    link: PortalLink | None = None
    ticket_id: int | None = None
    number: int | None = None  # state ``registering``: the number the request reserved


def read_token(token: str) -> tuple[int, int, str] | None:
    """``(tenant id, ticket id, key)`` of a genuine token, None for anything else."""
    try:
        tenant_id, ticket_id, key = _serializer().loads(token or "")
    except (BadData, TypeError, ValueError):
        return None
    if not (isinstance(tenant_id, int) and isinstance(ticket_id, int) and isinstance(key, str)):
        return None
    return tenant_id, ticket_id, key


def find_link(token: str) -> Found:
    """The link behind ``token`` in the current tenant. A token signed for another tenant
    (a valid link under a wrong address), altered or unknown is ``invalid``; a request
    stored but not yet made a ticket is ``registering``."""
    parts = read_token(token)
    if parts is None or parts[0] != context.current_tenant_id():
        return Found("invalid")
    _tenant_id, ticket_id, key = parts
    link = db.session.scalar(select(PortalLink).where(PortalLink.key == key))
    if link is None:
        number = db.session.scalar(select(WidgetRequest.number).where(
            WidgetRequest.link_key == key, WidgetRequest.ticket_id == ticket_id))
        return Found("registering", number=number) if number is not None else Found("invalid")
    if link.ticket_id != ticket_id:
        return Found("invalid")
    if not _active(link, utcnow()):
        return Found("expired", link, ticket_id)
    return Found("ok", link, ticket_id)


def touch(link: PortalLink) -> None:
    """A visit: the link's 30 days start again."""
    now = utcnow()
    if now - link.last_used_at >= TOUCH_EVERY:
        link.last_used_at = now


def form_token(link: PortalLink) -> str:
    """The token the link's forms carry (CSRF): only a page opened through the link has
    it, and it needs no cookie, so a visitor without an account can post."""
    message = f"portal-form:{link.tenant_id}:{link.id}:{link.key}".encode()
    return hmac.new(current_app.config["SECRET_KEY"].encode(), message,
                    hashlib.sha256).hexdigest()


def form_token_ok(link: PortalLink, value: str | None) -> bool:
    return hmac.compare_digest(form_token(link), value or "")
