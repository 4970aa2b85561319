"""Pages: the stop lists (admin), and "Not spam" on a held ticket's page."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length

from app.errors import ServiceError
from app.extensions import db
from app.spam import service, stop_list
from app.tickets import service as tickets
from app.ui import apply_form_errors, staff_page

bp = Blueprint("spam", __name__)
LIMIT = stop_list.MAX_ENTRIES * 260


class StopListForm(FlaskForm):
    addresses = TextAreaField(_l("Addresses"), validators=[Length(max=LIMIT)],
                              description=_l("One e-mail address per line."))
    domains = TextAreaField(_l("Domains"), validators=[Length(max=LIMIT)],
                            description=_l("One domain per line; its subdomains are stopped "
                                           "too."))
    words = TextAreaField(_l("Words and phrases"), validators=[Length(max=LIMIT)],
                          description=_l("One per line; a whole word in the subject or the "
                                         "message, in any letter case."))


def _lines(raw: str | None) -> list[str]:
    return [line.strip() for line in (raw or "").splitlines() if line.strip()]


@bp.route("/app/stop-list/", methods=["GET", "POST"])
@staff_page("admin")
def stop_lists():
    lists = stop_list.get_stop_list()
    form = StopListForm(data={kind: "\n".join(lists[kind]) for kind in stop_list.KINDS})
    if form.validate_on_submit():
        try:
            stop_list.update_stop_list(actor=current_user, **{
                kind: _lines(getattr(form, kind).data) for kind in stop_list.KINDS})
        except ServiceError as exc:
            apply_form_errors(form, exc)
        else:
            flash(_("Stop lists saved."), "success")
            return redirect(url_for(".stop_lists"))
    return render_template("spam/stop_list.html", form=form, limit=stop_list.MAX_ENTRIES)


@bp.post("/app/tickets/<int:number>/not-spam")
@staff_page()
def not_spam(number: int):
    try:
        service.not_spam(actor=current_user, ticket=tickets.get_ticket(current_user, number))
    except ServiceError as exc:
        db.session.rollback()
        if exc.status == 404:
            raise
        flash(str(exc.message), "error")
    else:
        flash(_("Moved to the inbox: not spam."), "success")
    return redirect(url_for("tickets.show", number=number))
