"""Articles: write, publish, find — the service the pages, the API and the ticket desk call.

An article is Markdown; its safe HTML and plain text are made from it on every change
(``render``). ``public`` articles are on the public site, in the widget and the portal
unless they are still a ``draft``; internal ones only staff read. Rights: ``rights``.
"""
import re

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import Select, func, select

from app.db_types import utcnow
from app.errors import NotFound, ValidationFailed
from app.events.service import record_event
from app.extensions import db
from app.kb import categories, search
from app.kb.models import LANGUAGES, Article
from app.kb.render import render_markdown
from app.kb.rights import require_editor, require_reader
from tenants import context
from tenants.resolve import current_tenant

MAX_TITLE = 200
MAX_MARKDOWN = 200_000
FIELDS = ("title", "body_markdown", "category_id", "public", "language", "featured", "draft")
# Control characters other than tab and line breaks: invisible, and the search marks
# its matches with two of them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def get_article(article_id: int) -> Article:
    article = db.session.get(Article, article_id)
    if article is None:
        raise NotFound(_("Article not found."))
    return article


def view_article(*, actor, article_id: int) -> Article:
    """One article, for a staff member to read."""
    require_reader(actor)
    return get_article(article_id)


def read_articles(*, actor, q: str | None = None, category_id: int | None = None,
                  public: bool | None = None, language: str | None = None,
                  featured: bool | None = None, draft: bool | None = None) -> Select:
    """The query of articles a staff member lists, narrowed by the filters (``q`` matches
    words of the title)."""
    require_reader(actor)
    stmt = select(Article)
    if category_id is not None:
        stmt = stmt.where(Article.category_id == category_id)
    for column, value in ((Article.public, public), (Article.featured, featured),
                          (Article.draft, draft), (Article.language, language)):
        if value is not None:
            stmt = stmt.where(column == value)
    for word in search.words_of(q)[:5]:
        stmt = stmt.where(func.lower(Article.title).contains(word, autoescape=True))
    return stmt


def search_articles(*, actor, q: str | None, language: str | None = None,
                    limit: int = 20) -> list[search.Hit]:
    """Staff search: internal articles and drafts too."""
    require_reader(actor)
    return search.find(context.current_tenant_id(), q, language=language,
                       include_internal=True, limit=limit)


def _clean(values: dict) -> dict:
    """The changed fields, checked; raises ValidationFailed naming each bad one."""
    errors, clean = {}, {}
    if "title" in values:
        title = " ".join(_CONTROL.sub("", values["title"] or "").split())
        if not title or len(title) > MAX_TITLE:
            errors["title"] = ngettext("Enter a title of 1–%(num)d character.",
                                       "Enter a title of 1–%(num)d characters.", MAX_TITLE)
        clean["title"] = title
    if "body_markdown" in values:
        body = _CONTROL.sub("", (values["body_markdown"] or "").replace("\r\n", "\n"))
        if len(body) > MAX_MARKDOWN:
            errors["body_markdown"] = ngettext(
                "The article is longer than %(num)d character.",
                "The article is longer than %(num)d characters.", MAX_MARKDOWN)
        clean["body_markdown"] = body.strip("\n")
    if "language" in values:
        if values["language"] not in LANGUAGES:
            errors["language"] = _("Choose one of the languages offered.")
        clean["language"] = values["language"]
    if values.get("category_id") is not None:
        if categories.find_category(values["category_id"]) is None:
            errors["category_id"] = _("There is no such category.")
    if "category_id" in values:
        clean["category_id"] = values["category_id"]
    for flag in ("public", "featured", "draft"):
        if flag in values:
            clean[flag] = bool(values[flag])
    if errors:
        raise ValidationFailed(fields=errors)
    return clean


def _apply(article: Article, values: dict) -> None:
    for key, value in values.items():
        setattr(article, key, value)
    if "body_markdown" in values:
        article.body_html, article.body_text = render_markdown(article.body_markdown)


def create_article(*, actor, title: str, body_markdown: str = "", category_id: int | None = None,
                   public: bool = False, language: str | None = None, featured: bool = False,
                   draft: bool = False) -> Article:
    """Write a new article (in the tenant's language unless another is given)."""
    require_editor(actor)
    values = _clean({"title": title, "body_markdown": body_markdown, "category_id": category_id,
                     "public": public, "featured": featured, "draft": draft,
                     "language": language or default_language()})
    article = Article(author_id=getattr(actor, "id", None))
    _apply(article, values)
    db.session.add(article)
    db.session.flush()
    record_event(actor, "kb.article_created", article,
                 {"title": article.title, "public": article.public})
    return article


def update_article(*, actor, article_id: int, changes: dict) -> Article:
    """Change the fields named in ``changes`` (any of ``FIELDS``; ``category_id`` may be
    None: no category). The event keeps what changed, before and after."""
    require_editor(actor)
    article = get_article(article_id)
    values = _clean({key: changes[key] for key in FIELDS if key in changes})
    before = {key: getattr(article, key) for key in values if key != "body_markdown"}
    text_changed = "body_markdown" in values and values["body_markdown"] != article.body_markdown
    _apply(article, values)
    after = {key: getattr(article, key) for key in before}
    changed = {key for key in before if before[key] != after[key]}
    if changed or text_changed:
        article.updated_at = utcnow()
        record_event(actor, "kb.article_updated", article, {
            "title": article.title, "text_changed": text_changed,
            "before": {k: before[k] for k in changed}, "after": {k: after[k] for k in changed}})
    return article


def delete_article(*, actor, article_id: int) -> None:
    """Delete an article with its comments and votes."""
    require_editor(actor)
    article = get_article(article_id)
    record_event(actor, "kb.article_deleted", article, {"title": article.title})
    db.session.delete(article)
    db.session.flush()


def default_language() -> str:
    """The tenant's language, where the knowledge base has it (else English)."""
    language = getattr(current_tenant(), "language", None)
    return language if language in LANGUAGES else "en"


def articles_by(staff_id: int) -> int:
    """How many articles ``staff_id`` wrote (someone who wrote some is kept, deactivated)."""
    return db.session.scalar(select(func.count()).select_from(Article)
                             .where(Article.author_id == staff_id)) or 0


def published_filter():
    return (Article.public.is_(True)) & (Article.draft.is_(False))
