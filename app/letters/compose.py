"""One letter about a ticket, ready to send: who it goes to, in which language, its words
from the tenant's template (or the default), and the headers that thread it.

Every letter about ticket N of tenant T refers to ``<ticket-N.tenant-T@domain>`` (its
``References`` and ``In-Reply-To``) and has a Message-ID of its own under that name, so a
customer's answer lands in the same thread of their mail program and, with the ``[#N]``
token of the subject, finds its ticket when it comes back in.
"""
import secrets
from dataclasses import dataclass
from email.message import EmailMessage

from flask import current_app
from flask_babel import force_locale

from app.extensions import db
from app.languages import LANGUAGES
from app.letters import templates
from app.letters.kinds import CUSTOMER_KINDS
from app.letters.render import Rendered, render_letter
from app.portal.links import status_url
from app.responses.context import ticket_values
from app.staff.models import Staff
from app.tickets.models import Message, Ticket
from integrations.mail.sender import build_message, mail_domain
from tenants.resolve import current_tenant

# Letters nobody typed: mail programs and auto-responders must not answer them
# (RFC 3834); an agent's reply is a person's letter and carries no such mark.
AUTOMATIC = {"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"}


@dataclass(frozen=True)
class Draft:
    to: str
    language: str
    rendered: Rendered


def thread_id(ticket: Ticket) -> str:
    return f"<ticket-{ticket.number}.tenant-{ticket.tenant_id}@{mail_domain()}>"


def letter_message_id(ticket: Ticket, kind: str) -> str:
    return (f"<ticket-{ticket.number}.tenant-{ticket.tenant_id}.{kind}."
            f"{secrets.token_hex(6)}@{mail_domain()}>")


def _language(*choices) -> str:
    return next((code for code in choices if code in LANGUAGES), "en")


def _values(ticket: Ticket, *, kind: str, agent=None, staff: Staff | None = None) -> dict:
    tenant = current_tenant()
    values = ticket_values(ticket, agent) | {"company.name": tenant.name}
    if kind in CUSTOMER_KINDS:
        link = status_url(ticket)
        values |= {"ticket.status_url": link, "ticket.rating_url": f"{link}#rating"}
    if staff is not None:
        values |= {"staff.name": staff.name,
                   "ticket.url": f"{current_app.config['BASE_URL']}/app/tickets/{ticket.number}"}
    return values


def customer_draft(ticket: Ticket, kind: str, *, language: str | None,
                   message: Message | None = None) -> Draft | None:
    """The letter of ``kind`` to the ticket's requester (None: nobody to write to)."""
    customer = ticket.customer
    if customer is None or not customer.email:
        return None
    language = _language(language, current_tenant().language)
    agent = db.session.get(Staff, message.staff_id) if message and message.staff_id else None
    if agent is None and ticket.assignee_id:
        agent = db.session.get(Staff, ticket.assignee_id)
    letter = templates.letter_for(kind, language)
    with force_locale(language):
        values = _values(ticket, kind=kind, agent=agent)
        rendered = render_letter(letter.subject, letter.body, values, number=ticket.number,
                                 reply_html=message.body_html if message else None)
    return Draft(customer.email, language, rendered)


def staff_draft(ticket: Ticket, kind: str, staff: Staff, *, agent=None) -> Draft | None:
    """The letter of ``kind`` to a staff member (None: not active, or no address)."""
    if not staff.active or not staff.email:
        return None
    language = _language(staff.language, current_tenant().language)
    letter = templates.letter_for(kind, language)
    with force_locale(language):
        values = _values(ticket, kind=kind, agent=agent, staff=staff)
        rendered = render_letter(letter.subject, letter.body, values, number=ticket.number)
    return Draft(staff.email, language, rendered)


def mime(ticket: Ticket, kind: str, draft: Draft) -> EmailMessage:
    """The letter as MIME: text and HTML alternatives, from the company's name."""
    headers = {"References": thread_id(ticket), "In-Reply-To": thread_id(ticket),
               "Content-Language": draft.language}
    if kind != "reply":
        headers |= AUTOMATIC
    page = (f'<!DOCTYPE html><html lang="{draft.language}"><head><meta charset="utf-8">'
            f"</head><body>{draft.rendered.html}</body></html>")
    return build_message(to=[draft.to], subject=draft.rendered.subject,
                         text=draft.rendered.text, html=page,
                         from_name=current_tenant().name, headers=headers,
                         message_id=letter_message_id(ticket, kind))
