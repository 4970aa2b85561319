"""A raw letter read into what a ticket needs: addresses, subject, threading headers, the
text (and HTML) body, and the files — whatever shape or charset it arrives in.

``parse`` never raises. It reads with the email package's lenient compat32 policy, not the
modern one: headers are decoded here by hand anyway (RFC 2047, raw 8-bit in any charset),
and the modern policy's header objects, built again on every lookup, cost several times
the rest of the parse. Every part's body is decoded with ``charsets``.
Deep nesting and huge part counts are cut off (and noted in ``problems``), attachments
are kept as they are (never unpacked, so a zip bomb stays a small file).
"""
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.header import decode_header
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime

from integrations.gmail import charsets

MAX_DEPTH = 12
MAX_PARTS = 300
MAX_ATTACHMENTS = 50
MAX_HEADER = 2000  # characters kept of a header value (subjects are cut further by tickets)
MAX_REFERENCES = 50
_MSGID = re.compile(r"<[^<>\s]{1,250}>")
_SPACE = re.compile(r"\s+")
# One address, plain ASCII: "Name <local@domain>" or "local@domain", nothing to decode.
_ADDRESS = r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
_PLAIN_ADDRESS = re.compile(
    rf"[ \t]*(?:([A-Za-z0-9 .'_-]*?)[ \t]*<({_ADDRESS})>|({_ADDRESS}))[ \t]*")
# The headers the skip rules and threading read, lower case.
KEPT_HEADERS = ("auto-submitted", "precedence", "x-autoreply", "x-autorespond",
                "x-auto-response-suppress", "x-failed-recipients", "list-id",
                "x-helpdesk-letter", "return-path", "reply-to")


@dataclass
class File:
    filename: str
    content_type: str
    data: bytes
    inline: bool = False
    content_id: str = ""  # without its angle brackets: what an HTML body's "cid:" names


@dataclass
class Letter:
    message_id: str = ""
    in_reply_to: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    subject: str = ""
    from_address: str = ""
    from_name: str = ""
    reply_to: str = ""
    to: list[str] = field(default_factory=list)
    date: datetime | None = None
    content_type: str = ""
    text: str = ""
    html: str = ""
    files: list[File] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def thread_ids(self) -> list[str]:
        """Message-IDs this letter answers, nearest first."""
        seen = []
        for value in self.in_reply_to + list(reversed(self.references)):
            if value not in seen:
                seen.append(value)
        return seen


def _header_text(value) -> str:
    """A header's text: RFC 2047 words decoded in their charsets, raw 8-bit bytes guessed."""
    raw = value if isinstance(value, str) else str(value)
    try:
        parts = decode_header(raw)
    except Exception:  # a malformed encoded word: keep the raw text
        return charsets.clean(_SPACE.sub(" ", raw)).strip()[:MAX_HEADER]
    out = []
    for chunk, charset in parts:
        if isinstance(chunk, bytes):
            out.append(charsets.decode(chunk, charset))
        else:
            out.append(chunk)
    joined = "".join(out) if any(isinstance(c, bytes) for c, _ in parts) else raw
    return charsets.clean(_SPACE.sub(" ", joined)).strip()[:MAX_HEADER]


def _raw_headers(message: Message) -> list[tuple[str, str]]:
    try:
        return [(name.lower(), value if isinstance(value, str) else str(value))
                for name, value in message.raw_items()]
    except Exception:
        return []


def _addresses(raw: str) -> list[tuple[str, str]]:
    """(name, address) pairs of a raw header; names decoded after splitting, so a comma
    inside an encoded name does not split it. The common plain shapes (``Name <a@b>``,
    ``a@b``) are read directly: the email package's address parser costs more than the
    rest of a letter's headers."""
    if not raw or not raw.strip():
        return []
    plain = _PLAIN_ADDRESS.fullmatch(raw)
    if plain is not None:
        address = (plain.group(2) or plain.group(3)).lower()
        if len(address) <= 254:
            return [(_SPACE.sub(" ", plain.group(1) or "").strip()[:200], address)]
    try:
        pairs = getaddresses([_SPACE.sub(" ", raw or "")[:MAX_HEADER * 5]])
    except Exception:
        return []
    out = []
    for name, address in pairs:
        address = charsets.clean(address).strip().strip("<>").lower()
        if "@" in address and " " not in address and len(address) <= 254:
            out.append((_header_text(name)[:200], address))
    return out


def _ids(raw: str) -> list[str]:
    return [charsets.clean(value) for value in _MSGID.findall(raw or "")]


def _read_headers(message: Message, letter: Letter) -> None:
    first: dict[str, str] = {}
    for name, value in _raw_headers(message):
        first.setdefault(name, value)
    letter.subject = _header_text(first.get("subject", ""))
    sender = _addresses(first.get("from", ""))
    if sender:
        letter.from_name, letter.from_address = sender[0]
    reply_to = _addresses(first.get("reply-to", ""))
    letter.reply_to = reply_to[0][1] if reply_to else ""
    letter.to = [a for _n, a in _addresses(first.get("to", ""))][:50]
    ids = _ids(first.get("message-id", ""))
    letter.message_id = ids[0] if ids else ""
    letter.in_reply_to = _ids(first.get("in-reply-to", ""))[:MAX_REFERENCES]
    letter.references = _ids(first.get("references", ""))[-MAX_REFERENCES:]
    try:
        date = parsedate_to_datetime(first.get("date", ""))
        letter.date = (date if date.tzinfo else date.replace(tzinfo=UTC)).astimezone(UTC)
    except Exception:
        letter.date = None
    letter.headers = {name: _header_text(first[name]) for name in KEPT_HEADERS if name in first}


def _content_type(part: Message) -> str:
    try:
        return part.get_content_type()
    except Exception:
        return "text/plain"


def _payload(part: Message) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception:
        data = None
    if isinstance(data, bytes):
        return data
    raw = part.get_payload()
    if isinstance(raw, str):
        return raw.encode("utf-8", "surrogateescape")
    return b""


def _filename(part: Message) -> str:
    try:
        name = part.get_filename()
    except Exception:
        name = None
    if not name:
        params = dict((k.lower(), v) for k, v in (part.get_params() or []) if isinstance(v, str))
        name = params.get("name")
    return _header_text(name) if name else ""


def _disposition(part: Message) -> str:
    try:
        return part.get_content_disposition() or ""
    except Exception:
        return ""


class _Walk:
    def __init__(self, letter: Letter):
        self.letter = letter
        self.parts = 0

    def visit(self, part: Message, depth: int) -> None:
        self.parts += 1
        if self.parts > MAX_PARTS:
            if self.parts == MAX_PARTS + 1:
                self.letter.problems.append(f"more than {MAX_PARTS} parts; the rest was left")
            return
        if depth > MAX_DEPTH:
            self.letter.problems.append(f"nested deeper than {MAX_DEPTH}; the inside was left")
            return
        kind = _content_type(part)
        if kind == "message/rfc822" or kind.startswith("message/") and part.is_multipart():
            self._file(part, kind, depth, whole=True)
            return
        if part.is_multipart():
            children = part.get_payload()
            for child in children if isinstance(children, list) else []:
                if isinstance(child, Message):
                    self.visit(child, depth + 1)
            return
        self._leaf(part, kind, depth)

    def _leaf(self, part: Message, kind: str, depth: int) -> None:
        disposition, name = _disposition(part), _filename(part)
        is_body = disposition != "attachment" and not name
        if kind == "text/plain" and is_body:
            text = charsets.decode(_payload(part), _charset(part))
            self.letter.text = f"{self.letter.text}\n\n{text}" if self.letter.text else text
        elif kind == "text/html" and is_body:
            if not self.letter.html:
                self.letter.html = charsets.decode(_payload(part), _charset(part))
        else:
            self._file(part, kind, depth)

    def _file(self, part: Message, kind: str, depth: int, whole: bool = False) -> None:
        if len(self.letter.files) >= MAX_ATTACHMENTS:
            self.letter.problems.append(f"more than {MAX_ATTACHMENTS} files; the rest was left")
            return
        if whole:
            try:
                inner = part.get_payload()
                inner = inner[0] if isinstance(inner, list) and inner else inner
                data = inner.as_bytes() if isinstance(inner, Message) else _payload(part)
            except Exception:
                data = _payload(part)
            name = _filename(part) or "forwarded.eml"
        else:
            data = _payload(part)
            name = _filename(part) or _default_name(kind)
        if data:
            content_id = _content_id(part)
            inline = _disposition(part) == "inline" or bool(content_id)
            self.letter.files.append(File(name, kind, data, inline, content_id))


def _content_id(part: Message) -> str:
    try:
        value = str(part.get("content-id") or "")
    except Exception:
        return ""
    return charsets.clean(value).strip().strip("<>").strip()[:250]


def _charset(part: Message) -> str | None:
    try:
        return part.get_content_charset()
    except Exception:
        return None


def _default_name(kind: str) -> str:
    subtype = kind.split("/", 1)[-1] if "/" in kind else "bin"
    return "attachment." + re.sub(r"[^a-z0-9]", "", subtype.lower())[:10] or "bin"


def parse(raw: bytes) -> Letter:
    """The letter in ``raw``; what could not be read is listed in ``problems``."""
    letter = Letter()
    if not isinstance(raw, (bytes, bytearray)) or not raw.strip():
        letter.problems.append("empty message")
        return letter
    try:
        message = message_from_bytes(bytes(raw), policy=policy.compat32)
    except Exception as exc:  # the feed parser is lenient: kept for what it still refuses
        letter.problems.append(f"unreadable: {exc}"[:200])
        return letter
    _read_headers(message, letter)
    letter.content_type = _content_type(message)
    try:
        _Walk(letter).visit(message, 0)
    except RecursionError:
        letter.problems.append("nested too deeply to read")
    if not letter.text and not letter.html and not letter.files:
        letter.problems.append("no readable body")
    letter.text = charsets.clean(letter.text).replace("\r\n", "\n").replace("\r", "\n")
    letter.html = charsets.clean(letter.html)
    return letter
