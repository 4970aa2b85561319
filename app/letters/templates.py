"""Letter templates: read (the tenant's own, else the default), change, restore the default.

Rights, for the page and the API alike: admins read and change letter templates — they
speak for the whole company to every customer and staff member.
"""
from dataclasses import dataclass

from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import select

from app.errors import NotFound, ValidationFailed
from app.events.service import record_event
from app.extensions import db
from app.languages import LANGUAGES
from app.letters.defaults import default_letter
from app.letters.kinds import KINDS, MAX_BODY, MAX_SUBJECT, unknown_placeholders
from app.letters.models import LetterTemplate
from app.responses.context import custom_field_keys
from app.responses.render import sanitize
from app.staff.roles import ADMINS, require_role

EDITORS = ADMINS


@dataclass(frozen=True)
class Letter:
    kind: str
    language: str
    subject: str
    body: str
    customized: bool


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise NotFound(_("No such letter."))
    return kind


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise ValidationFailed(fields={"language": _("Choose one of: %(values)s.",
                                                     values=", ".join(LANGUAGES))})
    return language


def _row(kind: str, language: str) -> LetterTemplate | None:
    return db.session.scalar(select(LetterTemplate).where(
        LetterTemplate.kind == kind, LetterTemplate.language == language))


def letter_for(kind: str, language: str) -> Letter:
    """The wording of ``kind`` in ``language`` for the current tenant (no rights check:
    for the code that writes the letters)."""
    row = _row(kind, language)
    if row is not None:
        return Letter(kind, language, row.subject, row.body, True)
    with force_locale(language):
        subject, body = default_letter(kind)
    return Letter(kind, language, subject, body, False)


def view_letter(*, actor, kind: str, language: str) -> Letter:
    """One letter's template for the admin's editor (404 for an unknown kind)."""
    require_role(actor, EDITORS)
    return letter_for(check_kind(kind), check_language(language))


def clean(kind: str, subject: str, body: str) -> tuple[str, str]:
    """``(subject, sanitized body)`` or a 422 naming what is wrong: empty, too long, or a
    placeholder this letter can't fill."""
    fields = {}
    subject = " ".join((subject or "").split())
    keys = custom_field_keys()
    if not subject:
        fields["subject"] = _("Enter a subject.")
    elif len(subject) > MAX_SUBJECT:
        fields["subject"] = ngettext("Enter at most %(num)d character.",
                                     "Enter at most %(num)d characters.", MAX_SUBJECT)
    elif unknown := unknown_placeholders(kind, subject, keys):
        fields["subject"] = _unknown_message(unknown)
    if not (body or "").strip():
        fields["body"] = _("Write the letter.")
    elif len(body) > MAX_BODY:
        fields["body"] = ngettext("The text is longer than %(num)d character.",
                                  "The text is longer than %(num)d characters.", MAX_BODY)
    elif unknown := unknown_placeholders(kind, body, keys):
        fields["body"] = _unknown_message(unknown)
    if fields:
        raise ValidationFailed(fields=fields)
    return subject, sanitize(body)


def _unknown_message(paths: list[str]) -> str:
    return _("Unknown placeholders: %(names)s.",
             names=", ".join("{{" + path + "}}" for path in paths))


def save_letter(*, actor, kind: str, language: str, subject: str, body: str) -> Letter:
    """Store the tenant's wording of ``kind`` in ``language`` (the body is sanitized)."""
    require_role(actor, EDITORS)
    check_kind(kind)
    check_language(language)
    subject, body = clean(kind, subject, body)
    row = _row(kind, language)
    if row is None:
        row = LetterTemplate(kind=kind, language=language, subject=subject, body=body)
        db.session.add(row)
    elif (row.subject, row.body) == (subject, body):
        return letter_for(kind, language)
    else:
        row.subject, row.body = subject, body
    db.session.flush()
    record_event(actor, "letter_template.updated", row, {"kind": kind, "language": language,
                                                         "subject": subject})
    return Letter(kind, language, subject, body, True)


def reset_letter(*, actor, kind: str, language: str) -> Letter:
    """Go back to the default wording of ``kind`` in ``language``."""
    require_role(actor, EDITORS)
    check_kind(kind)
    check_language(language)
    row = _row(kind, language)
    if row is not None:
        record_event(actor, "letter_template.reset", row, {"kind": kind, "language": language})
        db.session.delete(row)
        db.session.flush()
    return letter_for(kind, language)
