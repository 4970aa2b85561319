"""Categories: the sections of the knowledge base, nested one level (a category may sit in
a top-level one). Each has an address part (``/kb/<slug>/<category>/``), unique in the
tenant and never one of the site's own words."""
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from app.errors import Conflict, NotFound, ValidationFailed
from app.events.service import record_event
from app.extensions import db
from app.kb.models import Article, Category
from app.kb.rights import require_editor, require_reader
from app.kb.slugs import is_slug, slugify

MAX_NAME = 120
# Address parts the public site uses itself.
RESERVED = frozenset({"a", "search", "sitemap.xml", "sitemap-xml", "static", "feed"})
FIELDS = ("name", "slug", "description", "parent_id", "position")


def find_category(category_id: int) -> Category | None:
    return db.session.get(Category, category_id)


def get_category(category_id: int) -> Category:
    category = find_category(category_id)
    if category is None:
        raise NotFound(_("Category not found."))
    return category


def list_categories() -> list[Category]:
    """Every category, in the order the editors set (then by name)."""
    return list(db.session.scalars(select(Category).order_by(Category.position, Category.name)))


def read_categories(*, actor) -> list[Category]:
    require_reader(actor)
    return list_categories()


def view_category(*, actor, category_id: int) -> Category:
    require_reader(actor)
    return get_category(category_id)


def tree(categories: list[Category]) -> list[tuple[Category, list[Category]]]:
    """Top-level categories, each with its subcategories."""
    children: dict[int, list[Category]] = {}
    for category in categories:
        if category.parent_id is not None:
            children.setdefault(category.parent_id, []).append(category)
    return [(c, children.get(c.id, [])) for c in categories if c.parent_id is None]


def _check_slug(slug: str, category: Category | None) -> str | None:
    if not is_slug(slug) or slug in RESERVED:
        return _("Use lowercase Latin letters, digits and hyphens (not “%(slug)s”).",
                 slug=slug)
    taken = db.session.scalar(select(Category.id).where(Category.slug == slug))
    if taken is not None and (category is None or taken != category.id):
        return _("Another category has this address.")
    return None


def _check_parent(parent_id: int, category: Category | None) -> str | None:
    parent = find_category(parent_id)
    if parent is None:
        return _("There is no such category.")
    if parent.parent_id is not None:
        return _("A subcategory can't hold other categories.")
    if category is not None:
        if parent.id == category.id:
            return _("A category can't sit in itself.")
        has_children = db.session.scalar(select(Category.id).where(
            Category.parent_id == category.id).limit(1))
        if has_children is not None:
            return _("This category holds subcategories, so it stays at the top level.")
    return None


def _clean(values: dict, category: Category | None) -> dict:
    errors, clean = {}, {}
    if "name" in values:
        name = " ".join((values["name"] or "").split())
        if not name or len(name) > MAX_NAME:
            errors["name"] = ngettext("Enter a name of 1–%(num)d character.",
                                      "Enter a name of 1–%(num)d characters.", MAX_NAME)
        clean["name"] = name
    if "slug" in values or category is None:
        slug = (values.get("slug") or "").strip().lower() or slugify(
            clean.get("name", ""), fallback="category")
        problem = _check_slug(slug, category)
        if problem:
            errors["slug"] = problem
        clean["slug"] = slug
    if "description" in values:
        clean["description"] = (values["description"] or "").strip()[:2000]
    if values.get("parent_id") is not None:
        problem = _check_parent(values["parent_id"], category)
        if problem:
            errors["parent_id"] = problem
    if "parent_id" in values:
        clean["parent_id"] = values["parent_id"]
    if "position" in values:
        clean["position"] = int(values["position"] or 0)
    if errors:
        raise ValidationFailed(fields=errors)
    return clean


def create_category(*, actor, name: str, slug: str | None = None, description: str = "",
                    parent_id: int | None = None, position: int = 0) -> Category:
    """A new category (its address from the name unless ``slug`` is given)."""
    require_editor(actor)
    values = _clean({"name": name, "slug": slug, "description": description,
                     "parent_id": parent_id, "position": position}, None)
    category = Category(**values)
    db.session.add(category)
    db.session.flush()
    record_event(actor, "kb.category_created", category, {"name": category.name})
    return category


def update_category(*, actor, category_id: int, changes: dict) -> Category:
    require_editor(actor)
    category = get_category(category_id)
    values = _clean({key: changes[key] for key in FIELDS if key in changes}, category)
    before = {key: getattr(category, key) for key in values}
    for key, value in values.items():
        setattr(category, key, value)
    changed = {key for key in values if before[key] != getattr(category, key)}
    if changed:
        record_event(actor, "kb.category_updated", category, {
            "name": category.name, "before": {k: before[k] for k in changed},
            "after": {k: getattr(category, k) for k in changed}})
    return category


def delete_category(*, actor, category_id: int) -> None:
    """Delete an empty category; one with articles or subcategories is refused."""
    require_editor(actor)
    category = get_category(category_id)
    articles = db.session.scalar(select(func.count()).select_from(Article)
                                 .where(Article.category_id == category.id)) or 0
    if articles:
        raise Conflict(ngettext(
            "“%(name)s” holds %(num)d article; move it to another category first.",
            "“%(name)s” holds %(num)d articles; move them to another category first.",
            articles, name=category.name))
    if db.session.scalar(select(Category.id).where(Category.parent_id == category.id).limit(1)):
        raise Conflict(_("“%(name)s” holds subcategories; move or delete them first.",
                         name=category.name))
    record_event(actor, "kb.category_deleted", category, {"name": category.name})
    db.session.delete(category)
    db.session.flush()
