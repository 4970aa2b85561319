"""Staff pages: the article list (filters and search) and the article editor with a preview
rendered on the server. Agents read; admins and managers write (the service's rule)."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.errors import ServiceError
from app.extensions import db
from app.kb import categories, readers, service
from app.kb.forms import ArticleForm, category_choices
from app.kb.models import LANGUAGES, Article
from app.kb.render import render_markdown
from app.kb.rights import can_edit
from app.kb.urls import article_path
from app.ui import apply_form_errors, staff_page
from tenants.resolve import current_tenant

bp = Blueprint("kb", __name__, url_prefix="/app/kb")
PAGE = 50


def _flag(name: str) -> bool | None:
    return {"yes": True, "no": False}.get(request.args.get(name, ""))


@bp.get("/")
@staff_page()
def index():
    args = request.args
    q = args.get("q", "").strip()
    category_id = args.get("category", type=int)
    language = args.get("language") if args.get("language") in LANGUAGES else None
    hits = service.search_articles(actor=current_user, q=q, language=language, limit=PAGE) \
        if q and args.get("mode") == "text" else None
    stmt = service.read_articles(actor=current_user, q=q if hits is None else None,
                                 category_id=category_id, public=_flag("public"),
                                 language=language, featured=_flag("featured"),
                                 draft=_flag("draft"))
    before = args.get("before", type=int)
    if before:
        stmt = stmt.where(Article.id < before)
    articles = list(db.session.scalars(stmt.order_by(Article.id.desc()).limit(PAGE + 1)))
    more = articles[PAGE].id if len(articles) > PAGE else None
    all_categories = categories.read_categories(actor=current_user)
    return render_template("kb/index.html", articles=articles[:PAGE], hits=hits, more=more,
                           categories={c.id: c for c in all_categories},
                           category_choices=category_choices(all_categories),
                           can_edit=can_edit(current_user), languages=LANGUAGES)


def _form(article: Article | None = None) -> ArticleForm:
    form = ArticleForm(obj=article)
    form.category_id.choices = category_choices(categories.read_categories(actor=current_user))
    if article is None and request.method == "GET":
        form.language.data = service.default_language()
    return form


def _values(form: ArticleForm) -> dict:
    return {"title": form.title.data, "body_markdown": form.body_markdown.data or "",
            "category_id": form.category_id.data, "language": form.language.data,
            "public": form.public.data, "featured": form.featured.data,
            "draft": form.draft.data}


def _editor(form, article, preview=None, status: int = 200):
    public_url = None
    if article is not None and article.published:
        public_url = article_path(current_tenant().slug, article.id, article.title)
    feedback = readers.feedback_of(actor=current_user, article_id=article.id) \
        if article is not None else []
    return render_template("kb/edit.html", form=form, article=article, preview=preview,
                           public_url=public_url, feedback=feedback), status


@bp.route("/articles/new", methods=["GET", "POST"])
@staff_page("admin", "manager")
def new():
    form = _form()
    if form.validate_on_submit():
        if request.form.get("action") == "preview":
            return _editor(form, None, preview=render_markdown(form.body_markdown.data)[0])
        try:
            article = service.create_article(actor=current_user, **_values(form))
            flash(_("Article saved."), "success")
            return redirect(url_for(".edit", article_id=article.id))
        except ServiceError as exc:
            apply_form_errors(form, exc)
    return _editor(form, None, status=422 if form.errors else 200)


@bp.route("/articles/<int:article_id>", methods=["GET", "POST"])
@staff_page()
def edit(article_id: int):
    article = service.view_article(actor=current_user, article_id=article_id)
    if not can_edit(current_user):
        return render_template("kb/read.html", article=article,
                               category=categories.find_category(article.category_id)
                               if article.category_id else None)
    form = _form(article)
    if form.validate_on_submit():
        if request.form.get("action") == "preview":
            return _editor(form, article, preview=render_markdown(form.body_markdown.data)[0])
        try:
            service.update_article(actor=current_user, article_id=article.id,
                                   changes=_values(form))
            flash(_("Article saved."), "success")
            return redirect(url_for(".edit", article_id=article.id))
        except ServiceError as exc:
            apply_form_errors(form, exc)
    return _editor(form, article, status=422 if form.errors else 200)


@bp.post("/articles/<int:article_id>/delete")
@staff_page("admin", "manager")
def delete(article_id: int):
    service.delete_article(actor=current_user, article_id=article_id)
    flash(_("Article deleted."), "success")
    return redirect(url_for(".index"))
