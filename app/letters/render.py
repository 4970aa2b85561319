"""A letter template filled in: the subject with the ticket's ``[#N]`` token, the HTML and
the plain-text version of the body.

The filling is response templates' safe renderer (``app.responses.render.render``): values
are escaped, the result sanitized. Two things only letters need are done around it: the
subject is plain text (escaped going in, unescaped coming out), and an agent's reply —
already sanitized HTML — goes where ``{{reply.body}}`` stands (a marker is filled in first,
replaced by the reply, and the whole sanitized once more, so a marker put inside an
attribute can't open the attribute up).
"""
import html
import re
import secrets
from dataclasses import dataclass

from app.responses.render import render
from app.tickets.sanitize import html_to_text, sanitize_html

REPLY_BODY = "reply.body"
_LINK = re.compile(r'<a\s[^>]*?href="([^"]*)"[^>]*>(.*?)</a>', re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Rendered:
    subject: str
    html: str
    text: str


def ticket_token(number: int) -> str:
    return f"[#{number}]"


def render_subject(subject: str, values: dict, *, number: int | None = None) -> str:
    """The subject as plain text on one line; with ``number`` it carries ``[#N]`` (so a
    customer's answer finds its ticket even without the threading headers)."""
    filled, _missing = render(html.escape(subject, quote=False), values)
    text = " ".join(html.unescape(filled).split())
    if number is not None and ticket_token(number) not in text:
        text = f"{ticket_token(number)} {text}"
    return text


def render_body(body: str, values: dict, *, reply_html: str | None = None) -> str:
    """The letter's HTML body."""
    if reply_html is None:
        return render(body, values)[0]
    marker = "reply" + secrets.token_hex(12)
    filled, _missing = render(body, values | {REPLY_BODY: marker})
    return sanitize_html(filled.replace(marker, reply_html))


def _link_as_text(match: re.Match) -> str:
    href, label = match.group(1), match.group(2)
    words = html_to_text(label)
    url = html.unescape(href)
    if not words or words == url:
        return href
    return f"{label} ({href})"


def text_version(markup: str) -> str:
    """The plain-text part of a letter: its words, each link followed by its address."""
    return html_to_text(_LINK.sub(_link_as_text, markup))


def render_letter(subject: str, body: str, values: dict, *, number: int | None = None,
                  reply_html: str | None = None) -> Rendered:
    markup = render_body(body, values, reply_html=reply_html)
    return Rendered(render_subject(subject, values, number=number), markup,
                    text_version(markup))
