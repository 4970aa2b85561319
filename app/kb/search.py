"""Knowledge-base search, one interface over two engines.

PostgreSQL (``search_pg``): each article's tsvector under the configuration of its language
('russian', 'english'; 'simple' for Kazakh) in ``kb_search`` with a GIN index, so word forms
match ("принтеры" finds "принтер"); pg_trgm similarity to the words of the titles catches
typos ("принтр"); ranked, with ``ts_headline`` snippets; one statement. SQLite, the embedded default
(``search_sqlite``): FTS5 with Snowball stems as prefixes, and a typo pass over titles.

A query is its words (letters and digits): at most ``MAX_WORDS`` of them, and a query longer
than ``MAX_QUERY_CHARS`` or without any word finds nothing — never an error. Snippets are
HTML in which only ``<mark>`` is markup: everything else is escaped.

``suggest`` is what the widget and the portal call while a customer types.
"""
import html
import re
from dataclasses import dataclass

from markupsafe import Markup

from app.extensions import db
from app.kb import search_pg, search_sqlite
from app.kb.models import LANGUAGES
from app.kb.urls import article_path
from tenants import context
from tenants.resolve import tenant_row

MAX_QUERY_CHARS = 500
MAX_WORDS = 12
MAX_LIMIT = 50
START, STOP = "\x02", "\x03"  # the engines mark matches with these, never found in text
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Hit:
    id: int
    title: str
    public: bool  # published: public and not a draft
    language: str
    snippet: Markup


def words_of(query: str | None) -> list[str]:
    """The words to search for; none for an empty, overlong or punctuation-only query."""
    if not query or len(query) > MAX_QUERY_CHARS:
        return []
    return [word for word in _WORD.findall(query.lower().replace("_", " "))][:MAX_WORDS]


def marked(raw: str) -> Markup:
    """An engine's snippet as safe HTML: escaped, its match markers as ``<mark>``."""
    text = html.escape(raw or "", quote=False)
    if text.count(START) != text.count(STOP):
        text = text.replace(START, "").replace(STOP, "")
    return Markup(text.replace(START, "<mark>").replace(STOP, "</mark>"))


def find(tenant_id: int, query: str | None, *, language: str | None = None,
         include_internal: bool = False, limit: int = 10) -> list[Hit]:
    """The articles of ``tenant_id`` (the current tenant) that match ``query``, best first:
    published ones only unless ``include_internal`` (staff), in ``language`` if given."""
    if context.current_tenant_id() != tenant_id:
        raise context.TenantContextError(
            f"search of tenant {tenant_id} run as tenant {context.current_tenant_id()}")
    words = words_of(query)
    if not words:
        return []
    limit = max(1, min(limit, MAX_LIMIT))
    engine = search_pg if db.session.get_bind().dialect.name == "postgresql" \
        else search_sqlite
    rows = engine.search(tenant_id, words, language=language,
                         include_internal=include_internal, limit=limit)
    return [Hit(id=row[0], title=row[1], public=bool(row[2]), language=row[3],
                snippet=marked(row[4])) for row in rows]


def suggest(tenant_id: int, query: str, language: str | None, limit: int = 5) -> list[dict]:
    """Published articles for a customer typing ``query`` (the widget, the portal):
    ``[{"id", "title", "url", "snippet"}]`` — ``url`` an absolute path on this site,
    ``snippet`` HTML whose only markup is ``<mark>``. Callers count what they show with
    ``app.kb.figures.record``. Articles in ``language`` come first; when it has none that
    match (or names no language of the knowledge base), every language is searched."""
    language = language if language in LANGUAGES else None
    hits = find(tenant_id, query, language=language, limit=limit)
    if not hits and language is not None:
        hits = find(tenant_id, query, limit=limit)
    if not hits:
        return []
    slug = tenant_row(tenant_id).slug
    return [{"id": hit.id, "title": hit.title, "url": article_path(slug, hit.id, hit.title),
             "snippet": str(hit.snippet)} for hit in hits]
