"""Rich text from staff and customers, made safe before it is stored and shown.

nh3 (ammonia) keeps an allow-list of formatting tags and attributes, drops
<script>/<style> with their content, every event handler attribute (they are not
on the list) and any URL whose scheme is not http, https or mailto — so
``javascript:`` and ``data:`` links lose their href.
"""
import html
import re

import nh3

TAGS = {
    "a", "b", "blockquote", "br", "code", "del", "div", "em", "h1", "h2", "h3", "h4", "hr",
    "i", "img", "li", "ol", "p", "pre", "s", "span", "strong", "sub", "sup", "table", "tbody",
    "td", "th", "thead", "tr", "u", "ul",
}
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
URL_SCHEMES = {"http", "https", "mailto"}

# Text is taken for HTML when it holds a real HTML tag; "a <b> c" in a plain message
# stays text. Either way the result is safe: text is escaped, HTML is cleaned.
_HTML_NAMES = TAGS | {
    "html", "head", "body", "script", "style", "iframe", "object", "embed", "svg", "math",
    "form", "input", "button", "textarea", "select", "option", "video", "audio", "source",
    "base", "link", "meta", "frame", "frameset", "details", "summary", "marquee", "font",
    "center", "section", "article", "header", "footer", "nav", "caption", "col", "colgroup",
    "tfoot", "dl", "dt", "dd", "small", "big", "mark", "abbr", "cite", "q", "kbd", "samp",
    "var", "figure", "figcaption", "picture", "canvas", "noscript", "template", "xmp",
    "plaintext", "listing", "isindex", "image", "animate", "set", "use", "foreignobject",
}
_TAG = re.compile(r"<\s*/?\s*([a-zA-Z][a-zA-Z0-9]*)[\s/>]|<!--")
_BLOCK_END = re.compile(r"(?i)<\s*(br\s*/?|/p|/div|/li|/h[1-4]|/tr|/blockquote|/pre)\s*>")


_SAFE_URL = re.compile(r"^(https?://|mailto:|/(?!/)|#)", re.IGNORECASE)


def _only_plain_urls(tag: str, attribute: str, value: str) -> str | None:
    # Belt and braces over url_schemes: a link or image must be an absolute http(s) or
    # mailto URL, or a same-site path; odd relative forms ("`javascript:…`") are dropped.
    if attribute in ("href", "src"):
        return value if _SAFE_URL.match(value.strip()) else None
    return value


def sanitize_html(raw: str) -> str:
    """Keep formatting, drop anything that could run script or phone home in a hidden way."""
    return nh3.clean(raw or "", tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer nofollow", strip_comments=True,
                     attribute_filter=_only_plain_urls)


def text_to_html(text: str) -> str:
    """Plain text (a widget form, an API script) as paragraphs, line breaks kept."""
    paragraphs = re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").strip())
    return "".join(
        "<p>" + html.escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs if p.strip()
    )


def html_to_text(markup: str) -> str:
    """The words of sanitized HTML, for search and previews."""
    with_breaks = _BLOCK_END.sub("\n", markup or "")
    stripped = nh3.clean(with_breaks, tags=set(), attributes={}, strip_comments=True)
    text = html.unescape(stripped)
    return re.sub(r"\n{3,}", "\n\n", re.sub(r"[ \t]+", " ", text)).strip()


def looks_like_html(body: str) -> bool:
    return any(m.group(0) == "<!--" or (m.group(1) or "").lower() in _HTML_NAMES
               for m in _TAG.finditer(body))


def prepare_body(body: str) -> tuple[str, str]:
    """``(safe_html, plain_text)`` from either HTML (the rich editor) or plain text."""
    body = body or ""
    safe = sanitize_html(body) if looks_like_html(body) else text_to_html(body)
    return safe, html_to_text(safe)
