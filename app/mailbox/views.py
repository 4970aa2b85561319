"""Pages: the Gmail settings (connect, progress, figures, disconnect), the consent's return,
the ingestion log with retries, and "send again" for a reply Gmail did not take."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.errors import ServiceError
from app.extensions import db
from app.mailbox import connect, log, replies, retry
from app.mailbox.api import callback_url
from app.mailbox.mailboxes import figures
from app.mailbox.models import ENTRY_STATUSES, LogEntry
from app.tickets import service as tickets
from app.ui import staff_page
from billing.gates import addon_page
from tenants.context import resolves_own_tenant

bp = Blueprint("mailbox", __name__)
PAGE = 50


@bp.get("/app/integrations/gmail/")
@staff_page("admin")
@addon_page("gmail")
def settings():
    return render_template("mailbox/settings.html", figures=figures())


@bp.get("/app/integrations/gmail/progress")
@staff_page("admin")
def progress():
    """The live part of the settings page (htmx polls it during the first import)."""
    return render_template("mailbox/_figures.html", figures=figures())


def _failed(exc: ServiceError):
    db.session.rollback()
    if exc.status == 404:
        raise exc
    flash(str(exc.message), "error")


@bp.post("/app/integrations/gmail/connect")
@staff_page("admin")
def start():
    try:
        url = connect.start_connect(actor=current_user, redirect_uri=callback_url())
    except ServiceError as exc:
        _failed(exc)
        return redirect(url_for(".settings"))
    return redirect(url)


@bp.post("/app/integrations/gmail/disconnect")
@staff_page("admin")
def disconnect():
    try:
        connect.disconnect(actor=current_user)
    except ServiceError as exc:
        _failed(exc)
    else:
        flash(_("Gmail is disconnected; its access was revoked."), "success")
    return redirect(url_for(".settings"))


@bp.get("/integrations/gmail/callback")
@resolves_own_tenant  # the state names the tenant; no session cookie is needed
def callback():
    mailbox = connect.complete_connect(state=request.args.get("state", ""),
                                       code=request.args.get("code"),
                                       error=request.args.get("error"))
    flash(_("%(email)s is connected. Its mail is being imported.", email=mailbox.email),
          "success")
    return redirect(url_for(".settings"))


@bp.get("/app/integrations/gmail/log")
@staff_page("admin")
@addon_page("gmail")
def log_page():
    status = request.args.get("status")
    status = status if status in ENTRY_STATUSES else None
    stmt = log.entries(actor=current_user, status=status)
    before = request.args.get("before", type=int)
    if before:
        stmt = stmt.where(LogEntry.id < before)
    rows = db.session.scalars(stmt.order_by(LogEntry.id.desc()).limit(PAGE + 1)).all()
    more = rows[PAGE - 1].id if len(rows) > PAGE else None
    return render_template("mailbox/log.html", entries=rows[:PAGE], status=status, more=more,
                           statuses=log.STATUS_LABELS, reason_text=log.reason_text)


@bp.post("/app/integrations/gmail/log/<int:entry_id>/retry")
@staff_page("admin")
def retry_entry(entry_id: int):
    try:
        retry.request_retry(actor=current_user, entry_id=entry_id)
    except ServiceError as exc:
        _failed(exc)
    else:
        flash(_("The message will be fetched and imported again."), "success")
    return redirect(url_for(".log_page", status=request.args.get("status") or None))


@bp.post("/app/tickets/<int:number>/gmail-replies/<int:reply_id>/resend")
@staff_page()
def resend(number: int, reply_id: int):
    try:
        replies.resend(actor=current_user, ticket=tickets.get_ticket(current_user, number),
                       reply_id=reply_id)
    except ServiceError as exc:
        _failed(exc)
    else:
        flash(_("The reply will be sent again through Gmail."), "success")
    return redirect(url_for("tickets.show", number=number))
