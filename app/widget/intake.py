"""A visitor's request through the widget — the full path, taken by requests with files and
by the embedded default (a request without files takes ``app.widget.lean``, which checks it
with ``check_fields`` here): checked against the tenant's form (every problem
at once, per field, in the visitor's language), then registered through the one
``register_ticket`` (the requester, routing, the stop lists, the quota with deferral, SLA,
the number, the ticket with its message, files and portal link — in the agents' inbox when
the request commits) and answered with the number and the status link. The rest of the
creation (search document, events, the receipt letter in the visitor's language) is
completed by a job right after the commit (``complete_later``): the visitor does not wait
for it, and a pending mark written with the ticket makes sure it happens.
"""
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext

from app.addresses import InvalidAddress
from app.addresses import normalized as normalized_address
from app.api.limits import MAX_BODY, MAX_NAME, MAX_SUBJECT
from app.attachments.service import NewFile
from app.errors import ServiceError, ValidationFailed
from app.portal.links import new_ticket_link, new_ticket_url
from app.tickets.creation import Later, register_ticket
from app.tickets.models import Ticket
from app.tickets.sanitize import TEXT
from app.widget import identity
from app.widget.form import form_fields
from app.widget.settings import current_widget

LIMITS = {"name": MAX_NAME, "subject": MAX_SUBJECT, "body": MAX_BODY}


@dataclass
class Submission:
    """What the visitor sent: the form's own fields by name, the custom fields by key, the
    files, the host site's signature of the address, and the honeypot's content."""

    values: dict = field(default_factory=dict)
    custom: dict = field(default_factory=dict)
    files: list[NewFile] = field(default_factory=list)
    email_hash: str | None = None
    honeypot: str = ""


@dataclass(frozen=True)
class Received:
    ticket: Ticket | None  # None: the honeypot was filled, nothing was stored
    status_url: str | None = None


def _required_message(name: str) -> str:
    return {"email": _("Enter your e-mail address."),
            "body": _("Describe your request."),
            "attachments": _("Attach a file.")}.get(name, _("Fill in this field."))


def check_fields(fields: list[dict], submission: Submission) -> tuple[dict, dict]:
    """(clean values, problems by field name) — every field is looked at."""
    values, problems = {}, {}
    for item in fields:
        name = item["name"]
        raw = (submission.custom if item.get("custom") else submission.values).get(name)
        if name == "attachments":
            if item["required"] and not submission.files:
                problems[name] = _required_message(name)
            continue
        text = raw.strip() if isinstance(raw, str) else raw
        if text in (None, "") or (text is False and item.get("custom")):
            if item["required"]:
                problems[_key(item)] = _required_message(name)
            continue
        if item.get("custom"):  # its own rules are checked by the ticket desk
            values.setdefault("custom", {})[name] = text
        elif name in LIMITS:
            if not isinstance(raw, str):
                problems[name] = _("Enter text.")
            elif len(raw) > LIMITS[name]:
                problems[name] = ngettext("Enter at most %(num)d character.",
                                          "Enter at most %(num)d characters.", LIMITS[name])
            else:
                values[name] = raw if name == "body" else text
        elif name == "email":
            try:
                values[name] = normalized_address(str(text))
            except InvalidAddress:
                problems[name] = _("Enter a valid e-mail address.")
        elif name == "department_id":
            offered = {option["value"] for option in item.get("options", [])}
            try:
                department_id = None if isinstance(text, bool) else int(text)
            except (TypeError, ValueError):
                department_id = None
            if department_id not in offered:
                problems[name] = _("Choose one of the departments offered.")
            values[name] = department_id
    return values, problems


def _key(item: dict) -> str:
    return f"fields.{item['name']}" if item.get("custom") else item["name"]


def widget_names(exc: ServiceError) -> dict:
    """The ticket desk's field names as the widget's form calls them."""
    renamed = {}
    for key, message in exc.fields.items():
        key = {"requester.email": "email"}.get(key, key)
        renamed[key.replace("custom_fields.", "fields.", 1)] = message
    return renamed


def receive(*, submission: Submission, language: str) -> Received:
    """Register the visitor's request (channel ``widget``), or raise a 422 (413 for a file
    too large) naming every field that needs attention; the typed text is the caller's to
    keep. A filled honeypot (a field people never see) is answered alike, and dropped."""
    if submission.honeypot.strip():
        return Received(None)
    widget = current_widget()
    fields = form_fields(widget)
    values, problems = check_fields(fields, submission)
    if problems:
        raise ValidationFailed(_("Some fields need your attention."), fields=problems)
    link = new_ticket_link()
    verified = identity.is_verified(widget.identity_secret, values["email"],
                                    submission.email_hash)
    try:
        new = register_ticket(
            actor=None, channel="widget", subject=values.get("subject", ""),
            body=values.get("body", ""), body_format=TEXT, requester_email=values["email"],
            requester_name=values.get("name") or None,
            department_id=values.get("department_id"), custom_fields=values.get("custom"),
            attachments=submission.files, requester_verified=verified,
            complete_later=Later(language=language, companions=(link,)))
    except ServiceError as exc:
        if exc.status not in (413, 422):
            raise
        exc.fields = widget_names(exc)
        raise
    return Received(new.ticket, new_ticket_url(new.ticket, link))
