"""The public knowledge base ``/kb/<slug>/…``: published articles of the tenant the address
names, readable without JavaScript, in the language of the article (or the company).

Pages depend on the address and the data only — no cookie, no per-visitor token — so they
are cacheable: ``Cache-Control: public`` with an ETag of the body, and a 304 when the browser
already holds it. A view of an article is counted in Redis (``popularity``), not written.
Reader forms (comments, votes) need no session either: they carry a honeypot field and are
rate limited per address, and everything a reader types is shown escaped.
"""
from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    make_response,
    redirect,
    render_template,
    request,
)
from flask_babel import force_locale
from werkzeug.wrappers import Response

from app.errors import ValidationFailed
from app.extensions import db, limiter
from app.kb import popularity, readers, search, site
from app.kb.categories import find_category
from app.kb.models import LANGUAGES
from app.kb.render import description
from app.kb.slugs import slugify
from app.kb.urls import article_path, category_path, home_path

bp = Blueprint("kb_public", __name__, url_prefix="/kb/<slug>")
MAX_AGE = 60  # seconds a browser or proxy may reuse a page without asking


def company():
    """The tenant the address names (entered by the request's set-up); 404 when none."""
    tenant = g.get("tenant")
    if tenant is None:
        abort(404)
    return tenant


def language_of(tenant, article=None) -> str:
    if article is not None:
        return article.language
    return tenant.language if tenant.language in LANGUAGES else "en"


def absolute(path: str) -> str:
    return current_app.config["BASE_URL"] + path


def page(template: str, *, language: str, status: int = 200, cache: bool = True, **values):
    """Render in ``language`` (not the visitor's: the page must be the same for everyone),
    cacheable with an ETag unless ``cache`` is False."""
    tenant = company()
    with force_locale(language):
        body = render_template(template, tenant=tenant, language=language,
                               home_url=home_path(tenant.slug), **values)
    response = make_response(body, status)
    if not cache:
        response.headers["Cache-Control"] = "no-store"
        return response
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/")
def home(slug: str):
    tenant = company()
    featured = site.featured()
    popular = site.popular(exclude=[article.id for article in featured])
    return page("kb_public/home.html", language=language_of(tenant), featured=featured,
                popular=popular, tree=site.visible_tree(), loose=site.uncategorized(),
                canonical=absolute(home_path(tenant.slug)), path=article_path,
                category_path=category_path)


@bp.get("/<category>/")
def category(slug: str, category: str):
    tenant = company()
    found = site.category_by_slug(category)
    if found is None:
        abort(404)
    below = site.subcategories(found)
    articles = site.articles_in([found.id] + [c.id for c in below])
    if not articles:
        abort(404)  # nothing published here: not a page of the public site
    parent = None
    if found.parent_id is not None:
        parent = next((c for c, _children, _n in site.visible_tree() if c.id == found.parent_id),
                      None)
    return page("kb_public/category.html", language=language_of(tenant), category=found,
                parent=parent, children=[c for c in below if c.id in
                                         {a.category_id for a in articles}],
                articles=articles, canonical=absolute(category_path(tenant.slug, found.slug)),
                path=article_path, category_path=category_path)


@bp.get("/a/<int:article_id>")
@bp.get("/a/<int:article_id>-<title>")
def article(slug: str, article_id: int, title: str = ""):
    tenant = company()
    found = readers.published_article(article_id)
    if title != slugify(found.title):
        return redirect(article_path(tenant.slug, found.id, found.title), 301)
    popularity.count_view(tenant.id, found.id)
    done = request.args.get("done", "")
    return _article_page(found, done=done if done in ("comment", "vote") else "")


def _article_page(found, *, done: str = "", form: dict | None = None, status: int = 200):
    """The article; ``form`` holds a refused comment (what was typed, and why), shown again."""
    tenant = company()
    category = find_category(found.category_id) if found.category_id else None
    return page("kb_public/article.html", language=language_of(tenant, found), article=found,
                category=category, comments=readers.approved_comments(found.id),
                canonical=absolute(article_path(tenant.slug, found.id, found.title)),
                description=description(found.body_text), done=done,
                form={"name": "", "body": "", "errors": {}} | (form or {}),
                max_comment=readers.MAX_COMMENT, category_path=category_path,
                vote_url=f"{home_path(tenant.slug)}a/{found.id}/vote",
                comment_url=f"{home_path(tenant.slug)}a/{found.id}/comments",
                status=status, cache=not done and form is None)


@bp.get("/search")
def search_page(slug: str):
    tenant = company()
    q = request.args.get("q", "")
    hits = search.find(tenant.id, q, limit=30) if q.strip() else []
    return page("kb_public/search.html", language=language_of(tenant), q=q, hits=hits,
                path=article_path, canonical=absolute(home_path(tenant.slug) + "search"))


@bp.get("/sitemap.xml")
def sitemap(slug: str):
    tenant = company()
    entries = [(absolute(article_path(tenant.slug, article_id, title)), updated)
               for article_id, title, updated in site.sitemap_rows()]
    categories = [absolute(category_path(tenant.slug, c.slug))
                  for c, _children, _n in site.visible_tree()]
    body = render_template("kb_public/sitemap.xml", home=absolute(home_path(tenant.slug)),
                           updated=site.last_change(), entries=entries, categories=categories)
    response = Response(body, mimetype="application/xml")
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response.add_etag()
    return response.make_conditional(request)


def _comment_limit() -> str:
    return current_app.config.get("KB_COMMENT_RATE_LIMIT", "10 per hour")


def _vote_limit() -> str:
    return current_app.config.get("KB_VOTE_RATE_LIMIT", "60 per hour")


def _back(article, done: str, anchor: str) -> Response:
    tenant = company()
    return redirect(f"{article_path(tenant.slug, article.id, article.title)}?done={done}"
                    f"#{anchor}", 303)


@bp.post("/a/<int:article_id>/comments")
@limiter.limit(_comment_limit)
def comment(slug: str, article_id: int):
    found = readers.published_article(article_id)
    if request.form.get("website"):  # the honeypot: only robots fill a field nobody sees
        return _back(found, "comment", "comments")
    name, body = request.form.get("name", ""), request.form.get("body", "")
    try:
        readers.post_comment(article_id=found.id, name=name, body=body)
    except ValidationFailed as exc:
        db.session.rollback()
        return _article_page(found, status=422, form={
            "name": name, "body": body, "errors": {k: str(v) for k, v in exc.fields.items()}})
    return _back(found, "comment", "comments")


@bp.post("/a/<int:article_id>/vote")
@limiter.limit(_vote_limit)
def vote(slug: str, article_id: int):
    found = readers.published_article(article_id)
    helpful = request.form.get("helpful")
    if helpful not in ("yes", "no"):
        abort(400)
    if not request.form.get("website"):
        # An overlong comment is cut rather than refused: the vote itself counts.
        readers.vote(article_id=found.id, helpful=helpful == "yes",
                     comment=request.form.get("comment", "")[:readers.MAX_FEEDBACK])
    return _back(found, "vote", "vote")
