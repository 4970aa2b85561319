"""The ticket's page in the portal: the public conversation, the reply box with files,
"it's solved" / "reopen", and the rating once the request is resolved."""
from flask import current_app, g, redirect, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import RequestEntityTooLarge

from app.attachments.responses import file_response
from app.attachments.service import NewFile, human_size
from app.errors import ServiceError
from app.extensions import db, limiter
from app.portal import links, ratings, service
from app.portal.oversize import text_fields_before_files
from app.portal.pages import (
    FORM_EXPIRED,
    bp,
    error_page,
    refused_page,
    render,
    ticket_url,
    visit_of,
)
from app.portal.service import LinkRefused
from app.tickets.settings import get_settings
from tenants.resolve import tenant_by_slug

NOTICES = {
    "sent": _l("Your message was sent."),
    "solved": _l("Thank you! The request is marked as solved."),
    "closed": _l("Thank you for confirming. The request is closed."),
    "reopened": _l("The request is open again; the team will get back to you."),
    "rated": _l("Thank you for your rating!"),
    "unchanged": _l("The request had changed in the meantime; here it is as it is now."),
}


def _post_limit() -> str:
    return current_app.config.get("PORTAL_POST_RATE_LIMIT", "60 per hour")


def _page(visit, *, slug: str, token: str, composer: dict | None = None,
          rating_form: dict | None = None, error: str | None = None, status: int = 200):
    survivor = service.merged_into(visit)
    if survivor is not None and request.method == "GET":
        return redirect(links.status_url(survivor, external=False))
    messages, files = service.conversation(visit)
    rules = get_settings("attachments")
    rating = ratings.rating_of(visit.ticket)
    return render(
        "portal/ticket.html", status, visit=visit, ticket=visit.ticket, messages=messages,
        files=files, slug=slug, token=token, form_token=links.form_token(visit.link),
        merged=visit.ticket.merged_into_id is not None, rating=rating,
        composer={"body": "", "errors": {}} | (composer or {}),
        rating_form={"score": rating.score if rating else None,
                     "comment": rating.comment if rating else "", "errors": {}}
        | (rating_form or {}),
        notice=NOTICES.get(request.args.get("done", "")), error=error,
        max_file=human_size(int(rules["max_file_bytes"])), max_files=int(rules["max_files"]),
        max_comment=ratings.MAX_COMMENT, requests_count=service.count_requests(visit))


@bp.get("/t/<token>")
def ticket(slug: str, token: str):
    return _page(visit_of(token), slug=slug, token=token)


def _errors(exc: ServiceError) -> dict:
    """A service error where the reply box shows it: at the text, the files or the form."""
    errors: dict[str, list[str]] = {}
    for key, message in exc.fields.items():
        place = {"body": "body", "attachments": "files"}.get(key, "form")
        errors.setdefault(place, []).append(str(message))
    if not errors:
        errors["files" if exc.status == 413 else "form"] = [str(exc.message)]
    return {place: " ".join(messages) for place, messages in errors.items()}


def _again(slug: str, token: str, *, composer=None, rating_form=None, error=None,
           status: int):
    """The page again after a refused form, with what was typed (nothing was written)."""
    db.session.rollback()
    return _page(visit_of(token), slug=slug, token=token, composer=composer,
                 rating_form=rating_form, error=error, status=status)


@bp.post("/t/<token>/reply")
@limiter.limit(_post_limit)
def reply(slug: str, token: str):
    visit = visit_of(token)
    body = request.form.get("body", "")
    if not links.form_token_ok(visit.link, request.form.get("form_token")):
        return _again(slug, token, composer={"body": body, "errors": {"form": FORM_EXPIRED}},
                      status=400)
    files = [NewFile(filename=f.filename, data=f.read())
             for f in request.files.getlist("files") if f and f.filename]
    try:
        service.reply(visit, body=body, files=files)
    except ServiceError as exc:
        if exc.status not in (413, 422):
            raise
        return _again(slug, token, composer={"body": body, "errors": _errors(exc)},
                      status=exc.status)
    return redirect(ticket_url(slug, token, done="sent", _anchor="reply"))


def _too_large(exc: RequestEntityTooLarge):
    """A reply whose files pass the request limit: the page again with the typed text.
    The limit is checked before the request's set-up (which enters the tenant) ran."""
    args = request.view_args or {}
    if request.endpoint != "portal.reply" or "token" not in args:
        return error_page(413)
    if g.get("tenant") is None:
        g.tenant = tenant_by_slug(args["slug"])
        if g.tenant is None:
            return error_page(413)
    fields = text_fields_before_files()
    try:
        visit = visit_of(args["token"])
    except LinkRefused as refused:
        return refused_page(refused)
    kept = links.form_token_ok(visit.link, fields.get("form_token"))
    limit = human_size(current_app.config.get("MAX_CONTENT_LENGTH") or 0)
    composer = {"body": fields.get("body", "") if kept else "", "errors": {"files": _(
        "The files are too large to send together: at most %(limit)s in one message. "
        "Attach fewer or smaller files.", limit=limit)}}
    return _again(args["slug"], args["token"], composer=composer, status=413)


bp.register_error_handler(RequestEntityTooLarge, _too_large)


def _status_change(slug: str, token: str, change, done: str):
    visit = visit_of(token)
    if not links.form_token_ok(visit.link, request.form.get("form_token")):
        return _again(slug, token, error=FORM_EXPIRED, status=400)
    before = visit.ticket.status
    if not change(visit, seen_status=request.form.get("status")):
        return redirect(ticket_url(slug, token, done="unchanged"))
    if done == "solved" and before == "resolved":
        done = "closed"
    return redirect(ticket_url(slug, token, done=done))


@bp.post("/t/<token>/solve")
@limiter.limit(_post_limit)
def solve(slug: str, token: str):
    return _status_change(slug, token, service.solve, "solved")


@bp.post("/t/<token>/reopen")
@limiter.limit(_post_limit)
def reopen(slug: str, token: str):
    return _status_change(slug, token, service.reopen, "reopened")


@bp.post("/t/<token>/rate")
@limiter.limit(_post_limit)
def rate(slug: str, token: str):
    visit = visit_of(token)
    form = {"score": request.form.get("score"), "comment": request.form.get("comment", "")}
    if not links.form_token_ok(visit.link, request.form.get("form_token")):
        return _again(slug, token, rating_form=form, error=FORM_EXPIRED, status=400)
    try:
        ratings.rate(visit, score=form["score"], comment=form["comment"])
    except ServiceError as exc:
        if exc.status == 409:  # not resolved (any more): said above the page
            return _again(slug, token, error=str(exc.message), status=409)
        if exc.status != 422:
            raise
        errors = {key: str(message) for key, message in exc.fields.items()}
        return _again(slug, token, rating_form=form | {"errors": errors}, status=422)
    return redirect(ticket_url(slug, token, done="rated", _anchor="rating"))


@bp.get("/t/<token>/files/<int:attachment_id>")
def download(slug: str, token: str, attachment_id: int):
    return file_response(service.public_attachment(visit_of(token), attachment_id))
