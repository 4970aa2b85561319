"""Staff pages: categories, the moderation of reader comments, the article picker of the
reply box, and "save a reply as an article"."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.errors import ServiceError
from app.extensions import db
from app.kb import categories, drafts, readers, search
from app.kb.forms import CategoryForm, category_choices
from app.kb.models import Article, Comment
from app.kb.rights import can_edit
from app.kb.urls import article_path
from app.kb.views import bp
from app.ui import apply_form_errors, flash_outcome, staff_page
from tenants.resolve import current_tenant

COMMENTS_PAGE = 50


def _category_form(category=None) -> CategoryForm:
    form = CategoryForm(obj=category)
    form.parent_id.choices = category_choices(
        categories.read_categories(actor=current_user), top_level_only=True,
        none_label=_("— top level —"))
    return form


def _category_values(form: CategoryForm) -> dict:
    return {"name": form.name.data, "slug": form.slug.data or None,
            "description": form.description.data or "", "parent_id": form.parent_id.data,
            "position": form.position.data or 0}


@bp.route("/categories", methods=["GET", "POST"])
@staff_page()
def categories_page():
    form = _category_form()
    if form.validate_on_submit():
        try:
            category = categories.create_category(actor=current_user, **_category_values(form))
            flash(_("Category “%(name)s” created.", name=category.name), "success")
            return redirect(url_for(".categories_page"))
        except ServiceError as exc:
            if exc.status == 403:
                raise
            apply_form_errors(form, exc)
    tree = categories.tree(categories.read_categories(actor=current_user))
    return render_template("kb/categories.html", form=form, tree=tree,
                           can_edit=can_edit(current_user))


@bp.route("/categories/<int:category_id>", methods=["GET", "POST"])
@staff_page("admin", "manager")
def category_edit(category_id: int):
    category = categories.view_category(actor=current_user, category_id=category_id)
    form = _category_form(category)
    if form.validate_on_submit():
        try:
            values = _category_values(form)
            if not values["slug"]:
                values.pop("slug")
            categories.update_category(actor=current_user, category_id=category.id,
                                       changes=values)
            flash(_("Category saved."), "success")
            return redirect(url_for(".categories_page"))
        except ServiceError as exc:
            apply_form_errors(form, exc)
    return render_template("kb/category_edit.html", form=form, category=category)


@bp.post("/categories/<int:category_id>/delete")
@staff_page("admin", "manager")
def category_delete(category_id: int):
    flash_outcome(lambda: categories.delete_category(actor=current_user, category_id=category_id),
                  _("Category deleted."))
    return redirect(url_for(".categories_page"))


@bp.get("/comments")
@staff_page()
def comments():
    status = request.args.get("status", "pending")
    status = status if status in ("pending", "approved") else "pending"
    stmt = readers.read_comments(actor=current_user, status=status)
    rows = list(db.session.scalars(stmt.order_by(Comment.id.desc()).limit(COMMENTS_PAGE)))
    ids = {c.article_id for c in rows}
    titles = dict(db.session.execute(db.select(Article.id, Article.title)
                                     .where(Article.id.in_(ids))).all()) if ids else {}
    return render_template("kb/comments.html", comments=rows, status=status, titles=titles,
                           can_edit=can_edit(current_user))


@bp.post("/comments/<int:comment_id>/approve")
@staff_page("admin", "manager")
def comment_approve(comment_id: int):
    readers.approve_comment(actor=current_user, comment_id=comment_id)
    flash(_("Comment approved."), "success")
    return redirect(url_for(".comments", status=request.form.get("status", "pending")))


@bp.post("/comments/<int:comment_id>/delete")
@staff_page("admin", "manager")
def comment_delete(comment_id: int):
    readers.delete_comment(actor=current_user, comment_id=comment_id)
    flash(_("Comment deleted."), "success")
    return redirect(url_for(".comments", status=request.form.get("status", "pending")))


@bp.get("/picker")
@staff_page()
def picker():
    """The reply box's article search: published articles, each with a button that puts
    its public address into the reply."""
    tenant = current_tenant()
    hits = search.find(tenant.id, request.args.get("kb_q", ""), limit=8)
    return render_template("kb/_picker_results.html", hits=hits, slug=tenant.slug,
                           path=article_path)


@bp.get("/picker/<int:article_id>")
@staff_page()
def picker_pick(article_id: int):
    article = readers.published_article(article_id)
    url = current_app.config["BASE_URL"] + article_path(current_tenant().slug, article.id,
                                                        article.title)
    return render_template("kb/_picker_pick.html", article=article, url=url)


@bp.post("/from-message/<int:message_id>")
@staff_page("admin", "manager")
def from_message(message_id: int):
    article = drafts.draft_from_message(actor=current_user, message_id=message_id)
    flash(_("A draft article was made of the reply; edit it and publish it when ready."),
          "success")
    return redirect(url_for(".edit", article_id=article.id))
