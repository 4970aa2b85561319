"""What the public site shows: published articles only (public and not a draft), read in the
tenant the address names."""
from sqlalchemy import func, select

from app.extensions import db
from app.kb.categories import list_categories
from app.kb.models import Article, Category
from app.kb.service import published_filter

HOME_FEATURED = 6
HOME_POPULAR = 8
CATEGORY_PAGE = 200
SITEMAP_MAX = 50_000  # the sitemap protocol's limit per file


def featured(limit: int = HOME_FEATURED) -> list[Article]:
    return list(db.session.scalars(select(Article).where(published_filter(), Article.featured)
                                   .order_by(Article.updated_at.desc()).limit(limit)))


def popular(limit: int = HOME_POPULAR, *, exclude: list[int] = ()) -> list[Article]:
    stmt = select(Article).where(published_filter(), Article.views > 0)
    if exclude:
        stmt = stmt.where(Article.id.not_in(list(exclude)))
    return list(db.session.scalars(stmt.order_by(Article.views.desc(), Article.id.desc())
                                   .limit(limit)))


def counts_by_category() -> dict[int | None, int]:
    rows = db.session.execute(select(Article.category_id, func.count()).where(
        published_filter()).group_by(Article.category_id))
    return {category_id: count for category_id, count in rows}


def visible_tree() -> list[tuple[Category, list[Category], int]]:
    """Top-level categories with their subcategories, those holding no published article
    (themselves or below) left out: ``(category, children, count)``."""
    counts = counts_by_category()
    categories = list_categories()
    children: dict[int, list[Category]] = {}
    for category in categories:
        if category.parent_id is not None and counts.get(category.id):
            children.setdefault(category.parent_id, []).append(category)
    tree = []
    for category in categories:
        if category.parent_id is None:
            below = children.get(category.id, [])
            total = counts.get(category.id, 0) + sum(counts.get(c.id, 0) for c in below)
            if total:
                tree.append((category, below, total))
    return tree


def category_by_slug(slug: str) -> Category | None:
    return db.session.scalar(select(Category).where(Category.slug == slug))


def subcategories(category: Category) -> list[Category]:
    return list(db.session.scalars(select(Category).where(Category.parent_id == category.id)
                                   .order_by(Category.position, Category.name)))


def articles_in(category_ids: list[int]) -> list[Article]:
    return list(db.session.scalars(select(Article).where(
        published_filter(), Article.category_id.in_(category_ids))
        .order_by(Article.featured.desc(), Article.views.desc(), Article.title)
        .limit(CATEGORY_PAGE)))


def uncategorized() -> list[Article]:
    return list(db.session.scalars(select(Article).where(
        published_filter(), Article.category_id.is_(None))
        .order_by(Article.views.desc(), Article.title).limit(CATEGORY_PAGE)))


def sitemap_rows() -> list[tuple[int, str, object]]:
    """``(id, title, updated_at)`` of every published article (newest change first)."""
    return list(db.session.execute(select(Article.id, Article.title, Article.updated_at)
                                   .where(published_filter())
                                   .order_by(Article.updated_at.desc()).limit(SITEMAP_MAX)))


def last_change():
    """When a published article last changed (None: there is none)."""
    return db.session.scalar(select(func.max(Article.updated_at)).where(published_filter()))
