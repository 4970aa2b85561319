"""Message bodies made safe before they are stored and shown.

Every body arrives with a declared format, never a guess from its content:

* ``text`` — what a person typed into a plain field (the new-ticket form, the API's
  default, action comments, the widget and portal). It is escaped exactly once and kept
  whole: ``a<b and c>d`` is shown as typed, line breaks and paragraphs survive, and bare
  http(s) links become links.
* ``html`` — markup from the HTML editor (the reply box) or from an e-mail. nh3 (ammonia)
  keeps an allow-list of formatting tags and attributes, drops <script>/<style> with their
  content, every event handler attribute (they are not on the list) and any URL whose
  scheme is not http, https or mailto — so ``javascript:`` and ``data:`` links lose their
  href.

This module is the code's only use of nh3, with one allow-list for all HTML that is kept:
replies, e-mail, knowledge-base articles (from Markdown) and response templates
(``placeholders=True`` while one is stored), so a template holds nothing a reply could not;
``html_to_text`` keeps no markup at all.
"""
import html
import re
from urllib.parse import unquote

import nh3

TAGS = {
    "a", "b", "blockquote", "br", "code", "del", "div", "em", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "span", "strong", "sub", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
}
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer nofollow"

TEXT, HTML = "text", "html"
BODY_FORMATS = (TEXT, HTML)

# A bare link in typed text: http(s) only, up to whitespace or a character that can't be
# part of it unescaped; trailing punctuation belongs to the sentence.
_URL = re.compile(r"\bhttps?://[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?'\""

_BLOCK_END = re.compile(r"(?i)<\s*(br\s*/?|/p|/div|/li|/h[1-6]|/tr|/blockquote|/pre)\s*>")


_SAFE_URL = re.compile(r"^(https?://|mailto:|/(?!/)|#)", re.IGNORECASE)
# A stored response template may link to a placeholder ("{{ticket.status_url}}"); the link is
# judged as a URL again once the placeholder is filled in (app/responses/render.py).
_PLACEHOLDER_URL = re.compile(r"^\{\{[^{}]*\}\}")


def _only_plain_urls(tag: str, attribute: str, value: str) -> str | None:
    # Belt and braces over url_schemes: a link or image must be an absolute http(s) or
    # mailto URL, or a same-site path; odd relative forms ("`javascript:…`") are dropped.
    if attribute in ("href", "src"):
        return value if _SAFE_URL.match(value.strip()) else None
    return value


def _urls_or_placeholders(tag: str, attribute: str, value: str) -> str | None:
    if attribute in ("href", "src") and _PLACEHOLDER_URL.match(value.strip()):
        return value
    return _only_plain_urls(tag, attribute, value)


def _inline_images(images: dict[str, str]):
    # An e-mail's "cid:" image becomes the URL of the file kept for it; one that was not
    # kept loses its src like any other odd URL, and shows its alt text.
    def judge(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src" and value.strip()[:4].lower() == "cid:":
            value = images.get(unquote(value.strip()[4:]), "")
        return _only_plain_urls(tag, attribute, value)

    return judge


def sanitize_html(raw: str, *, placeholders: bool = False,
                  images: dict[str, str] | None = None) -> str:
    """Keep formatting, drop anything that could run script or phone home in a hidden way.
    With ``placeholders`` (a response template being stored) a link or image may also start
    with a ``{{placeholder}}``; ``images`` maps an e-mail's Content-IDs to the same-site URLs
    its ``cid:`` images are shown from."""
    judge, schemes = _urls_or_placeholders if placeholders else _only_plain_urls, URL_SCHEMES
    if images is not None:  # "cid:" passes nh3's scheme check to be judged here
        judge, schemes = _inline_images(images), URL_SCHEMES | {"cid"}
    return nh3.clean(raw or "", tags=TAGS, attributes=ATTRIBUTES, url_schemes=schemes,
                     link_rel=LINK_REL, strip_comments=True, attribute_filter=judge)


def normalize_text(text: str) -> str:
    """Typed text with one kind of line break and no blank margins."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _linked(line: str) -> str:
    """``line`` escaped once, with its http(s) URLs as links (built from escaped parts only)."""
    out, last = [], 0
    for match in _URL.finditer(line):
        url = match.group(0).rstrip(_TRAILING)
        # "(see https://x.example/a)" — the bracket closes the sentence, not the URL.
        while url.endswith(")") and url.count(")") > url.count("("):
            url = url[:-1].rstrip(_TRAILING)
        start, end = match.start(), match.start() + len(url)
        safe = html.escape(url, quote=True)
        out += [html.escape(line[last:start], quote=False),
                f'<a href="{safe}" rel="{LINK_REL}">{safe}</a>']
        last = end
    out.append(html.escape(line[last:], quote=False))
    return "".join(out)


def text_to_html(text: str) -> str:
    """Plain text as HTML: escaped once, kept whole — paragraphs at blank lines, ``<br>`` at
    single line breaks, bare http(s) URLs as links. The one way typed text becomes HTML."""
    paragraphs = re.split(r"\n\s*\n", normalize_text(text))
    return "".join("<p>" + "<br>".join(_linked(line) for line in p.split("\n")) + "</p>"
                   for p in paragraphs if p.strip())


def html_to_text(markup: str) -> str:
    """The words of sanitized HTML, for search and previews."""
    with_breaks = _BLOCK_END.sub("\n", markup or "")
    stripped = nh3.clean(with_breaks, tags=set(), attributes={}, strip_comments=True)
    text = html.unescape(stripped)
    return re.sub(r"\n{3,}", "\n\n", re.sub(r"[ \t]+", " ", text)).strip()


def body_to_html(body: str, *, body_format: str) -> str:
    """The safe HTML of ``body`` as declared: ``text`` is escaped, ``html`` is sanitized."""
    if body_format == TEXT:
        return text_to_html(body)
    if body_format == HTML:
        return sanitize_html(body)
    raise ValueError(f"unknown body format {body_format!r}")


def prepare_body(body: str, *, body_format: str) -> tuple[str, str]:
    """``(safe_html, plain_text)`` of a message body in its declared format (``text`` or
    ``html``); the plain text, for search and excerpts, is the text as typed."""
    safe = body_to_html(body, body_format=body_format)
    return safe, normalize_text(body) if body_format == TEXT else html_to_text(safe)
