"""A sent public reply becomes the draft of an internal article: the ticket's subject as the
title, the reply's words as the text, in the company's language — for an editor to finish."""
import re

from flask_babel import gettext as _

from app.errors import NotFound
from app.events.service import record_event
from app.extensions import db
from app.kb import service
from app.kb.models import Article
from app.kb.rights import require_editor
from app.tickets import access
from app.tickets.models import Message, Ticket

# Characters that would make plain text into Markdown markup.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
_LIST_OR_HEADING = re.compile(r"^(\s*)([-+]|\d+[.)])(\s)", re.MULTILINE)


def as_markdown(text: str) -> str:
    """Plain text that reads the same once rendered as Markdown."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", text or "")
    return _LIST_OR_HEADING.sub(lambda m: f"{m.group(1)}{m.group(2)}\\{m.group(3)}"
                                if m.group(2)[-1] in ".)" else
                                f"{m.group(1)}\\{m.group(2)}{m.group(3)}", escaped)


def draft_from_message(*, actor, message_id: int) -> Article:
    """An internal draft made of a public reply sent by staff (404 for any other message,
    or one of a ticket the actor can't see)."""
    require_editor(actor)
    message = db.session.get(Message, message_id)
    if message is None or message.internal or message.author_kind != "staff":
        raise NotFound(_("Message not found."))
    ticket = db.session.get(Ticket, message.ticket_id)
    access.require(actor, ticket, "view")
    article = service.create_article(
        actor=actor, title=(ticket.subject or _("Untitled"))[:service.MAX_TITLE],
        body_markdown=as_markdown(message.body_text), public=False, draft=True,
        language=service.default_language())
    record_event(actor, "kb.article_drafted", article,
                 {"title": article.title, "ticket_number": ticket.number})
    return article
