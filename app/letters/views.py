"""Pages: the letter templates (admin) — every letter in every language, and an editor with
the placeholders it may use and a preview with sample values."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import Length

from app.errors import ServiceError
from app.languages import LANGUAGES, language_name
from app.letters import templates
from app.letters.kinds import KINDS, LABELS, MAX_BODY, MAX_SUBJECT
from app.letters.preview import placeholders_of, preview
from app.staff.roles import ADMINS
from app.ui import apply_form_errors, staff_page
from tenants.resolve import current_tenant

bp = Blueprint("letters", __name__, url_prefix="/app/letters")


class LetterForm(FlaskForm):
    subject = StringField(_l("Subject"), validators=[Length(max=MAX_SUBJECT)])
    body = TextAreaField(_l("Text (HTML)"), validators=[Length(max=MAX_BODY)],
                         render_kw={"rows": 14})


def _chosen() -> tuple[str, str]:
    kind = request.args.get("kind", "")
    language = request.args.get("language") or current_tenant().language or "en"
    if kind not in KINDS or language not in LANGUAGES:
        abort(404)
    return kind, language


@bp.get("/")
@staff_page(*ADMINS)
def index():
    letters = {(kind, language): templates.view_letter(actor=current_user, kind=kind,
                                                       language=language)
               for kind in KINDS for language in LANGUAGES}
    return render_template("letters/index.html", kinds=KINDS, labels=LABELS,
                           languages=LANGUAGES, letters=letters, language_name=language_name)


@bp.route("/edit", methods=["GET", "POST"])
@staff_page(*ADMINS)
def edit():
    kind, language = _chosen()
    letter = templates.view_letter(actor=current_user, kind=kind, language=language)
    form = LetterForm(data={"subject": letter.subject, "body": letter.body})
    shown = None
    if form.validate_on_submit():
        try:
            if request.form.get("action") == "preview":
                shown = preview(actor=current_user, kind=kind, language=language,
                                subject=form.subject.data, body=form.body.data)
            else:
                templates.save_letter(actor=current_user, kind=kind, language=language,
                                      subject=form.subject.data, body=form.body.data)
                flash(_("Letter saved."), "success")
                return redirect(url_for(".edit", kind=kind, language=language))
        except ServiceError as exc:
            apply_form_errors(form, exc)
    if shown is None and not form.errors:
        shown = preview(actor=current_user, kind=kind, language=language)
    return render_template("letters/edit.html", form=form, kind=kind, label=LABELS[kind],
                           language=language, languages=LANGUAGES, letter=letter,
                           preview=shown, placeholders=placeholders_of(kind),
                           language_name=language_name)


@bp.post("/reset")
@staff_page(*ADMINS)
def reset():
    kind, language = _chosen()
    templates.reset_letter(actor=current_user, kind=kind, language=language)
    flash(_("The default letter is back."), "success")
    return redirect(url_for(".edit", kind=kind, language=language))
