"""Reading a widget request's body: JSON, a urlencoded form (the widget's request without
files), or a multipart form with files.

JSON: ``{name, email, subject, body, department_id?, fields?: {key: value}, email_hash?}``.
A form: the same names as fields, custom fields as ``fields.<key>``, files (multipart) as
``attachments``. Sizes are checked before the body is read, against the tenant's own
attachment rules, so an oversized upload gets a message naming the limit.
"""
from urllib.parse import parse_qsl

import werkzeug.urls  # noqa: F401  (registers the "werkzeug.url_quote" decoding errors)
from flask import current_app, request
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.datastructures import MultiDict

from app.api import strict_json
from app.attachments.service import NewFile, human_size
from app.errors import TooLarge, UnsupportedMediaType, ValidationFailed
from app.tickets.settings import get_settings
from app.widget.intake import Submission

OWN_FIELDS = ("name", "email", "subject", "body", "department_id")
MULTIPART_ROOM = 256 * 1024  # the form's text and the parts' headers


def largest_body(rules: tuple[int, int]) -> int:
    """The most bytes a request may send, by the tenant's attachment rules (largest file,
    most files)."""
    limit, count = rules
    return min(limit * count + MULTIPART_ROOM,
               current_app.config.get("MAX_CONTENT_LENGTH") or limit)


def _check_size(rules: tuple[int, int] | None) -> None:
    if rules is None:
        stored = get_settings("attachments")
        rules = int(stored["max_file_bytes"]), int(stored["max_files"])
    if request.content_length and request.content_length > largest_body(rules):
        limit, count = rules
        message = ngettext("The files are too large: at most %(num)d file of %(limit)s.",
                           "The files are too large: at most %(num)d files of %(limit)s each.",
                           count, limit=human_size(limit))
        raise TooLarge(message, fields={"attachments": message})


def _from_json() -> Submission:
    return json_submission(request.get_data(cache=True))


def json_submission(raw: bytes) -> Submission:
    """The submission in a JSON body."""
    if len(raw) > current_app.config.get("MAX_JSON_LENGTH", 1024 * 1024):
        raise TooLarge()
    data = strict_json.load(raw) if raw.strip() else {}
    if not isinstance(data, dict):
        raise ValidationFailed(fields={"body": _("Expected a JSON object.")})
    custom = data.get("fields") or {}
    if not isinstance(custom, dict):
        raise ValidationFailed(fields={"fields": _("Expected an object of field values.")})
    _storable(data)
    return Submission(values={name: data.get(name) for name in OWN_FIELDS},
                      custom=custom, email_hash=_text(data.get("email_hash")),
                      honeypot=_text(data.get("website")) or "")


def _storable(value, name: str = "body") -> None:
    """Text the database can't store (NUL characters, lone surrogates) is a 422 on its field."""
    if isinstance(value, dict):
        for key, item in value.items():
            _storable(item, str(key) if name == "body" else f"{name}.{key}")
    elif isinstance(value, list):
        for item in value:
            _storable(item, name)
    elif isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValidationFailed(fields={name: _("Invalid Unicode text.")}) from None
        if "\x00" in value:
            raise ValidationFailed(fields={name: _("NUL characters are not allowed.")})


def _text(value) -> str | None:
    return value if isinstance(value, str) else None


def _from_form() -> Submission:
    files = [NewFile(filename=f.filename, data=f.read())
             for f in request.files.getlist("attachments") if f and f.filename]
    return form_submission(request.form, files)


def urlencoded_form(raw: bytes) -> MultiDict:
    """A urlencoded body's fields, read as Flask's ``request.form`` reads them."""
    return MultiDict(parse_qsl(raw.decode(), keep_blank_values=True,
                               errors="werkzeug.url_quote"))


def form_submission(form: MultiDict, files: list[NewFile] = ()) -> Submission:
    """The submission in a form's fields (custom fields as ``fields.<key>``) and files."""
    custom = {name.removeprefix("fields."): value for name, value in form.items()
              if name.startswith("fields.")}
    return Submission(values={name: form.get(name) for name in OWN_FIELDS}, custom=custom,
                      files=list(files), email_hash=form.get("email_hash"),
                      honeypot=form.get("website", ""))


def submission_from_request(attachment_rules: tuple[int, int] | None = None) -> Submission:
    """The request's submission; ``attachment_rules`` (largest file, most files) when the
    caller has them at hand, else they are read."""
    _check_size(attachment_rules)
    if request.is_json:
        return _from_json()
    if request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        return _from_form()
    raise UnsupportedMediaType(_("Send JSON or a multipart form."))
