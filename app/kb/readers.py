"""What readers of the public site send: comments, held until a staff member approves them,
and "did this help?" answers with an optional comment. Their text is kept as typed and
only ever shown escaped. Moderation rights: ``rights`` (editors approve and delete)."""
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import Select, select, update

from app.db_types import utcnow
from app.errors import NotFound, ValidationFailed
from app.events.service import record_event
from app.extensions import db
from app.kb import figures
from app.kb.models import COMMENT_STATUSES, Article, Comment, Feedback
from app.kb.rights import require_editor, require_reader
from app.kb.service import published_filter
from app.tickets.sanitize import normalize_text
from tenants import context

MAX_NAME = 100
MAX_COMMENT = 5_000
MAX_FEEDBACK = 2_000


def published_article(article_id: int) -> Article:
    """An article readers may see; any other (internal, a draft, missing) is a 404."""
    article = db.session.scalar(select(Article).where(Article.id == article_id,
                                                      published_filter()))
    if article is None:
        raise NotFound(_("Article not found."))
    return article


def post_comment(*, article_id: int, name: str, body: str) -> Comment:
    """A reader's comment on a published article, held for moderation."""
    article = published_article(article_id)
    name, body = " ".join((name or "").split()), normalize_text(body)
    errors = {}
    if not name or len(name) > MAX_NAME:
        errors["name"] = ngettext("Enter your name (up to %(num)d character).",
                                  "Enter your name (up to %(num)d characters).", MAX_NAME)
    if not body or len(body) > MAX_COMMENT:
        errors["body"] = ngettext("Write a comment of up to %(num)d character.",
                                  "Write a comment of up to %(num)d characters.", MAX_COMMENT)
    if errors:
        raise ValidationFailed(fields=errors)
    comment = Comment(article_id=article.id, name=name, body=body, status="pending")
    db.session.add(comment)
    db.session.flush()
    return comment


def approved_comments(article_id: int) -> list[Comment]:
    return list(db.session.scalars(select(Comment).where(
        Comment.article_id == article_id, Comment.status == "approved").order_by(Comment.id)))


def vote(*, article_id: int, helpful: bool, comment: str = "") -> Feedback:
    """Count a "did this help?" answer on the article (one atomic UPDATE) and in the day's
    figures; the optional comment is kept for the editors."""
    article = published_article(article_id)
    comment = normalize_text(comment)
    if len(comment) > MAX_FEEDBACK:
        raise ValidationFailed(fields={"comment": ngettext(
            "Write up to %(num)d character.", "Write up to %(num)d characters.", MAX_FEEDBACK)})
    column = Article.helpful_yes if helpful else Article.helpful_no
    db.session.execute(update(Article).where(Article.id == article.id)
                       .values({column: column + 1}).execution_options(
                           synchronize_session=False))
    feedback = Feedback(article_id=article.id, helpful=helpful, comment=comment)
    db.session.add(feedback)
    figures.record(context.current_tenant_id(), "helpful_yes" if helpful else "helpful_no")
    return feedback


def feedback_of(*, actor, article_id: int, limit: int = 50) -> list[Feedback]:
    """The latest answers with comments on an article, for its editors."""
    require_reader(actor)
    return list(db.session.scalars(select(Feedback).where(
        Feedback.article_id == article_id, Feedback.comment != "")
        .order_by(Feedback.id.desc()).limit(limit)))


def read_comments(*, actor, status: str | None = None, article_id: int | None = None) -> Select:
    """The query of reader comments (``pending`` ones await moderation)."""
    require_reader(actor)
    stmt = select(Comment)
    if status is not None:
        if status not in COMMENT_STATUSES:
            raise ValidationFailed(fields={"status": _("Unknown status.")})
        stmt = stmt.where(Comment.status == status)
    if article_id is not None:
        stmt = stmt.where(Comment.article_id == article_id)
    return stmt


def _comment(comment_id: int) -> Comment:
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        raise NotFound(_("Comment not found."))
    return comment


def approve_comment(*, actor, comment_id: int) -> Comment:
    """Show a comment under its article (approving it again changes nothing)."""
    require_editor(actor)
    comment = _comment(comment_id)
    if comment.status != "approved":
        comment.status, comment.approved_at = "approved", utcnow()
        record_event(actor, "kb.comment_approved", comment,
                     {"article_id": comment.article_id, "name": comment.name})
    return comment


def delete_comment(*, actor, comment_id: int) -> None:
    require_editor(actor)
    comment = _comment(comment_id)
    record_event(actor, "kb.comment_deleted", comment,
                 {"article_id": comment.article_id, "name": comment.name})
    db.session.delete(comment)
    db.session.flush()
