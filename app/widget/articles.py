"""The knowledge base inside the widget: suggestions while the visitor types the subject,
an article opened in the panel, and the figures of what they prevented.

Figures (``app.kb.figures``, per tenant and day): ``suggestions_shown`` counts the articles
shown, ``article_opened_widget`` each article opened, ``session_deflected`` each widget
session that opened an article and sent no request (reported once by the page's
end-of-session beacon; a session is counted once however often the beacon arrives).
"""
import logging
import re

from flask import current_app
from redis.exceptions import RedisError

from app.jobs import redis_connection
from app.kb import figures, popularity
from app.kb.readers import published_article
from app.kb.search import suggest
from app.kb.urls import article_path
from tenants.resolve import current_tenant

log = logging.getLogger(__name__)
MIN_QUERY, MAX_QUERY = 3, 200  # a few letters before asking; a subject's worth at most
SESSION = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
SESSION_TTL = 24 * 3600


def _absolute(path: str) -> str:
    return current_app.config["BASE_URL"] + path


def suggestions(tenant_id: int, query: str, language: str | None) -> list[dict]:
    """Up to five published articles for what the visitor typed (counted as shown)."""
    query = " ".join((query or "").split())[:MAX_QUERY]
    if len(query) < MIN_QUERY:
        return []
    found = suggest(tenant_id, query, language, limit=5)
    figures.record(tenant_id, "suggestions_shown", n=len(found))
    return [item | {"url": _absolute(item["url"])} for item in found]


def open_article(tenant_id: int, article_id: int) -> dict:
    """A published article to read in the panel (404 for any other); counted as a view of
    the article and as opened from the widget."""
    article = published_article(article_id)
    popularity.count_view(tenant_id, article.id)
    figures.record(tenant_id, "article_opened_widget")
    return {"id": article.id, "title": article.title, "body_html": article.body_html,
            "language": article.language,
            "url": _absolute(article_path(current_tenant().slug, article.id, article.title))}


def session_deflected(tenant_id: int, session: str) -> bool:
    """A visitor's session ended after reading an article without sending a request; True
    when it was counted now (not before). Without Redis it is not counted at all."""
    if not SESSION.match(session or ""):
        return False
    try:
        first = redis_connection().set(f"widget:deflected:{tenant_id}:{session}", 1,
                                       nx=True, ex=SESSION_TTL)
    except RedisError:
        log.warning("a deflected widget session was not counted (Redis unavailable)")
        return False
    if first:
        figures.record(tenant_id, "session_deflected")
    return bool(first)
