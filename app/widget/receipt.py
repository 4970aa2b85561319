"""The receipt letter: the requester learns the number and where to follow the request.

Composed in the language the visitor used, handed to the outgoing mail (``send_mail``
queues it when the request commits: a failed request sends nothing). A request a stop list
held back gets none until an agent finds it genuine ("not spam").
"""
from flask_babel import force_locale
from flask_babel import gettext as _

from app.languages import LANGUAGES
from app.portal.links import status_url
from integrations.mail.outbox import send_mail
from tenants.resolve import current_tenant


def compose(*, company: str, number: int, subject: str, name: str, link: str) -> tuple[str, str]:
    """(subject, text) of the letter in the current locale."""
    title = _("Request #%(number)s received: %(subject)s", number=number, subject=subject)
    greeting = _("Hello, %(name)s!", name=name) if name else _("Hello!")
    text = "\n\n".join((
        greeting,
        _("We have received your request #%(number)s “%(subject)s” and will answer as soon "
          "as we can.", number=number, subject=subject),
        _("Follow it, reply or add files here (no password needed):\n%(link)s", link=link),
        _("This address is just for you: please do not share it."),
        f"— {company}"))
    return str(title), text


def send_receipt(*, tenant, ticket, link: str, language: str | None) -> None:
    """Queue the receipt of ``ticket`` to its requester (after commit)."""
    customer = ticket.customer
    if customer is None or not customer.email:
        return
    with force_locale(language if language in LANGUAGES else tenant.language):
        subject, text = compose(company=tenant.name, number=ticket.number,
                                subject=ticket.subject, name=customer.name, link=link)
    send_mail(tenant_id=tenant.id, to=[customer.email], subject=subject, text=text,
              kind="receipt")


def send_held_receipt(_app, *, ticket) -> None:
    """Receiver of the spam area's ``ticket_released``: a widget request held as spam and
    found genuine gets the receipt it was not sent, in the tenant's language."""
    if ticket.channel != "widget":
        return
    send_receipt(tenant=current_tenant(), ticket=ticket, link=status_url(ticket), language=None)
