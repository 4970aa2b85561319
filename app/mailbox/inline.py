"""Inline images of an HTML letter: its ``<img src="cid:…">`` point at the files kept for
them.

Done once, at import, after the files have ids: the message's HTML is sanitized again with
each Content-ID mapped to the file's same-site address (``/attachments/<id>``, what the
agents' ticket page links), so showing a message costs nothing extra. An image that was
left out (the tenant's limits) loses its ``src`` like any odd URL, and the browser shows its
alt text instead of a broken picture. The customers' portal serves files under its own
links: ``portal_links`` turns those addresses into them when the page is drawn.
Only a letter whose body is its HTML part needs this: a text body has no images, and its
inline files are listed with the other attachments.
"""
import hashlib
import re

from flask import current_app, url_for
from markupsafe import Markup

from app.attachments.service import attachments_of
from app.tickets.models import Message
from app.tickets.sanitize import sanitize_html
from integrations.gmail import mime

_STAFF_LINK = re.compile(r'src="/attachments/(\d+)"')


def staff_link(attachment_id: int) -> str:
    """The agents' address of a file (built without a request: imports run in jobs)."""
    adapter = current_app.url_map.bind("localhost")
    return adapter.build("attachments.download", {"attachment_id": attachment_id})


def link_images(message: Message, html: str, letter: mime.Letter,
                stored: list | None = None) -> None:
    """Point the ``cid:`` images of ``message`` (whose body is ``html``, the letter's HTML
    part as imported) at its stored files; ``stored``: those files, when at hand."""
    if "cid:" not in html.lower():
        return
    wanted = {hashlib.sha256(f.data).hexdigest(): f.content_id
              for f in letter.files if f.content_id}
    if not wanted:
        return
    if stored is None:
        stored = attachments_of([message.id]).get(message.id, [])
    images = {wanted[a.sha256]: staff_link(a.id) for a in stored if a.sha256 in wanted}
    message.body_html = sanitize_html(html, images=images)


def portal_links(body_html: str, files, **link) -> Markup:
    """``body_html`` for the customers' portal: the message's own files under the portal's
    links (``link``: the portal page's ``slug`` and ``token``); other addresses as they
    are. The HTML was sanitized when it was stored."""
    ids = {f.id for f in files or ()}
    if not ids or 'src="/attachments/' not in body_html:
        return Markup(body_html)

    def swap(match: re.Match) -> str:
        attachment_id = int(match.group(1))
        if attachment_id not in ids:
            return match.group(0)
        link_url = url_for("portal.download", attachment_id=attachment_id, **link)
        return f'src="{Markup.escape(link_url)}"'

    return Markup(_STAFF_LINK.sub(swap, body_html))
