"""The public addresses of the knowledge base, as absolute paths on this site (no request
needed: the widget, letters and jobs build them too)."""
from app.kb.slugs import slugify


def home_path(tenant_slug: str) -> str:
    return f"/kb/{tenant_slug}/"


def category_path(tenant_slug: str, category_slug: str) -> str:
    return f"/kb/{tenant_slug}/{category_slug}/"


def article_path(tenant_slug: str, article_id: int, title: str) -> str:
    """``/kb/<slug>/a/<id>-<title-slug>``: the id finds the article, the words are for
    people and search engines (a page asked for with other words redirects here)."""
    return f"/kb/{tenant_slug}/a/{article_id}-{slugify(title)}"
