"""A fresh link by e-mail, for a requester whose link expired or was mangled.

The request is answered the same whatever the address: the request only counts the address
(at most ``LETTERS_PER_HOUR`` an hour, so nobody's mailbox is flooded) and queues a job
after commit; the job looks the address up and, when it has requests here, writes a letter
with a working link to each (the one the old link named first). Looking up in the job also
keeps the answer's timing the same for every address.
"""
import hashlib

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import case

from app.customers.service import customer_by_email
from app.events.service import record_event
from app.extensions import db
from app.jobs import enqueue, tenant_job
from app.portal.links import read_token, status_url
from app.portal.service import PAGE_SIZE, own_tickets
from app.staff.service import normalize_email
from app.tickets.constants import DONE_STATUSES, STATUS_LABELS
from app.tickets.models import Ticket
from integrations.mail.outbox import send_mail
from tenants import context
from tenants.resolve import current_tenant

LETTERS_PER_HOUR = 3
FORM_VALID_FOR = 24 * 3600  # seconds a fresh-link form may be sent after it was shown
_SALT = "portal-fresh-link"


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def form_token(slug: str) -> str:
    """The fresh-link form's token (no cookie needed): bound to the company, for a day."""
    return _signer().dumps(slug)


def form_token_ok(slug: str, value: str | None) -> bool:
    try:
        return _signer().loads(value or "", max_age=FORM_VALID_FOR) == slug
    except BadData:
        return False


def _over_limit(email: str) -> bool:
    redis = current_app.extensions["redis"]
    key = ("portal-link:" f"{context.current_tenant_id()}:"
           f"{hashlib.sha256(email.encode()).hexdigest()[:32]}")
    count = redis.incr(key)
    if count == 1:
        redis.expire(key, 3600)
    return count > LETTERS_PER_HOUR


def request_fresh_link(*, email: str, old_token: str | None = None) -> None:
    """Send links to ``email``'s requests in the current tenant, if it has any (after
    commit, in a job). Says nothing about the address; a malformed one is a 422."""
    email = normalize_email(email)
    if _over_limit(email):
        return
    parts = read_token(old_token) if old_token else None
    hint = parts[1] if parts and parts[0] == context.current_tenant_id() else None
    enqueue(mail_fresh_links, context.current_tenant_id(), email, hint, queue_name="mail")


def _tickets_of(customer_id: int, hint: int | None) -> list[Ticket]:
    order = [case((Ticket.status.in_(DONE_STATUSES), 1), else_=0), Ticket.updated_at.desc()]
    if hint is not None:
        order.insert(0, case((Ticket.id == hint, 0), else_=1))
    return db.session.scalars(own_tickets(customer_id).order_by(*order).limit(PAGE_SIZE)).all()


def compose(tenant, customer, entries: list[tuple[Ticket, str]]) -> tuple[str, str]:
    """Subject and text of the letter, in the company's language."""
    with force_locale(tenant.language or "en"):
        subject = _("Your link to your requests at %(company)s", company=tenant.name)
        lines = [f"#{t.number} {t.subject} ({STATUS_LABELS[t.status]})\n{url}"
                 for t, url in entries]
        text = _("Hello %(name)s,\n\nhere are new links to your requests at %(company)s. "
                 "Open one to read the conversation, write again, or see all your requests:"
                 "\n\n%(links)s\n\nEach link works as long as you use it at least once every "
                 "30 days. If you did not ask for this letter, you can ignore it.",
                 name=customer.display_name, company=tenant.name,
                 links="\n\n".join(lines))
    return str(subject), str(text)


@tenant_job
def mail_fresh_links(tenant_id: int, email: str, hint_ticket_id: int | None) -> int:
    """Job: a letter with working links to the requester's requests (the one the expired
    link named first); nothing for an address without requests. Returns the links sent."""
    customer = customer_by_email(email)
    if customer is None:
        return 0
    found = _tickets_of(customer.id, hint_ticket_id)
    if not found:
        return 0
    entries = [(ticket, status_url(ticket)) for ticket in found]
    subject, text = compose(current_tenant(), customer, entries)
    send_mail(tenant_id=tenant_id, to=[customer.email], subject=subject, text=text,
              kind="portal_link")
    record_event(None, "portal.link_sent", customer,
                 {"email": customer.email, "tickets": [t.number for t, _url in entries]})
    return len(entries)
