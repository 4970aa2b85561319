"""Articles are written in Markdown (CommonMark with tables and strikethrough). Raw HTML in
the Markdown is shown as text, and what markdown-it makes still passes the project's one
sanitizer, so an article can hold nothing a reply could not."""
from markdown_it import MarkdownIt

from app.tickets.sanitize import html_to_text, sanitize_html

_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def render_markdown(markdown: str) -> tuple[str, str]:
    """``(safe_html, plain_text)`` of an article's Markdown; the text is for search,
    snippets and page descriptions."""
    safe = sanitize_html(_MARKDOWN.render(markdown or ""))
    return safe, html_to_text(safe)


def description(text: str, limit: int = 160) -> str:
    """A page description: the first words of ``text``, cut at a word, at most ``limit``."""
    words = " ".join((text or "").split())
    if len(words) <= limit:
        return words
    cut = words[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",.;:—-") + "…"
