"""Reading a kept original for "show original": its main headers, and the document the
sandboxed frame shows.

The document is the letter's own HTML, unsanitized (it is the original), or its text in a
``<pre>``. It is served with a CSP that sandboxes it (no script, an opaque origin) and loads
nothing but inline styles and ``data:`` images: the letter's ``cid:`` images are embedded
from the letter itself, since a sandboxed frame's requests carry no session cookie to fetch
them with; anything remote stays blank.
"""
import base64
import html
import re
from dataclasses import dataclass
from email import policy
from email.parser import BytesHeaderParser
from urllib.parse import unquote

from app.mailbox import original as originals
from integrations.gmail import charsets, mime

HEADERS = ("From", "To", "Cc", "Date", "Subject", "Message-ID")
LETTER_CSP = ("sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
              "frame-ancestors 'self'")
_CID = re.compile(r"(?i)\bcid:([^\s\"'<>()]+)")
_TEXT_PAGE = ('<!doctype html><html><head><meta charset="utf-8">'
              '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
              '<body><pre style="white-space: pre-wrap; overflow-wrap: anywhere; '
              'font: 14px/1.45 monospace; margin: 0">{}</pre></body></html>')


@dataclass
class Shown:
    headers: list[tuple[str, str]]
    headers_only: bool
    size: int


def _header(message, name: str) -> str:
    try:
        value = str(message.get(name) or "")
    except Exception:  # a header neither policy can read is left out
        return ""
    return charsets.clean(re.sub(r"\s+", " ", value)).strip()[:2000]


def headers_of(raw: bytes) -> list[tuple[str, str]]:
    """(name, decoded value) of the headers the view shows, those present."""
    block = originals.header_block(raw)
    try:
        message = BytesHeaderParser(policy=policy.default).parsebytes(block)
        pairs = [(name, _header(message, name)) for name in HEADERS]
    except Exception:  # the old policy reads what the modern one refuses
        message = BytesHeaderParser(policy=policy.compat32).parsebytes(block)
        pairs = [(name, _header(message, name)) for name in HEADERS]
    return [(name, value) for name, value in pairs if value]


def shown(original) -> Shown:
    raw = originals.letter_bytes(original)
    return Shown(headers_of(raw), original.headers_only, original.size)


def _data_uri(file: mime.File) -> str:
    return f"data:{file.content_type};base64," + base64.b64encode(file.data).decode()


def document(raw: bytes, *, headers_only: bool) -> str:
    """The HTML the frame shows: the letter's HTML with its inline images embedded, else
    its text (or, for a letter kept without its body, its header block) as plain text."""
    if headers_only:
        return _TEXT_PAGE.format(html.escape(raw.decode("utf-8", "replace")))
    letter = mime.parse(raw)
    if not letter.html.strip():
        return _TEXT_PAGE.format(html.escape(letter.text))
    images = {f.content_id: f for f in letter.files
              if f.content_id and f.content_type.startswith("image/")}
    limit = originals.cap()

    def embed(match: re.Match) -> str:
        file = images.get(unquote(match.group(1)))
        return _data_uri(file) if file is not None and len(file.data) <= limit else ""

    return _CID.sub(embed, letter.html)
