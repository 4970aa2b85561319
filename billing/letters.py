"""Letters to a tenant's admins about the balance: running low, and suspended.

The letter is composed in a job on the ``mail`` queue (in the tenant's language, with the
balance at that moment) and handed to ``integrations.mail``'s ``send_mail``, which
delivers it over SMTP (or into the local outbox). The event log notes it
(``billing.letter``).
"""
import logging

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from app.events.service import record_event
from app.extensions import db
from app.jobs import enqueue, tenant_job
from app.money import format_money
from billing.catalog import daily_cost
from billing.signals import letter_recipients
from integrations.mail.outbox import send_mail
from tenants.models import Tenant

log = logging.getLogger(__name__)
KINDS = ("running_low", "suspended")


def queue_letter(tenant_id: int, kind: str) -> None:
    """Enqueue the letter once the charge commits (a Redis outage then is only logged:
    it must not undo a committed charge)."""
    enqueue(send_balance_letter, tenant_id, kind, queue_name="mail")


def compose(tenant: Tenant, kind: str) -> tuple[str, str]:
    """Subject and body in the tenant's language."""
    with force_locale(tenant.language or "en"):
        balance = format_money(tenant.balance, tenant.currency, tenant.language or "en")
        cost = format_money(daily_cost(tenant).total, tenant.currency, tenant.language or "en")
        link = current_app.config["BASE_URL"] + "/app/billing/"
        if kind == "suspended":
            subject = _("Your help desk is suspended: the balance is used up")
            body = _("The balance (%(balance)s) does not cover today's charge of %(cost)s, so "
                     "%(name)s is suspended. Staff can still read everything, and incoming "
                     "requests are still registered and wait for you. Top up the balance to "
                     "resume at once: %(link)s", balance=balance, cost=cost, name=tenant.name,
                     link=link)
        else:
            subject = _("Your help desk balance runs out in a few days")
            body = _("The balance of %(name)s is %(balance)s, enough for a few more days at "
                     "%(cost)s a day. Top up to keep working without a pause: %(link)s",
                     name=tenant.name, balance=balance, cost=cost, link=link)
    return str(subject), str(body)


def deliver(*, tenant: Tenant, recipients: list[str], subject: str, body: str,
            kind: str) -> None:
    """Hand a letter over to outgoing mail and note it in the event log."""
    log.info("billing letter to %s: %s", ", ".join(recipients), subject)
    if recipients:
        send_mail(tenant_id=tenant.id, to=recipients, subject=subject, text=body,
                  kind=f"billing_{kind}")
    record_event(None, "billing.letter", ("tenant", tenant.id),
                 {"kind": kind, "to": recipients, "subject": subject, "body": body},
                 tenant_id=tenant.id)


@tenant_job
def send_balance_letter(tenant_id: int, kind: str) -> list[str]:
    """Write to every active admin of the tenant (job: ids in, idempotent enough —
    a repeat only repeats the letter)."""
    if kind not in KINDS:
        raise ValueError(f"unknown letter {kind!r}")
    tenant = db.session.get(Tenant, tenant_id)
    if tenant is None:
        return []
    recipients = letter_recipients(tenant_id)  # the staff area answers: its active admins
    subject, body = compose(tenant, kind)
    deliver(tenant=tenant, recipients=recipients, subject=subject, body=body, kind=kind)
    return recipients
