"""The letters every tenant starts with, in the current locale (ru, en, kk).

Each paragraph is one translatable sentence with its placeholders (``{{…}}``, filled by the
same renderer as a tenant's own template), so translators see whole sentences and a tenant
that changes nothing still writes to each customer in the customer's language.
"""
from flask_babel import gettext as _


def _p(*sentences: str) -> str:
    return "".join(f"<p>{sentence}</p>" for sentence in sentences)


def _link(placeholder: str, text: str | None = None) -> str:
    return f'<a href="{{{{{placeholder}}}}}">{text or "{{" + placeholder + "}}"}</a>'


def _receipt() -> tuple[str, str]:
    return _("Request received: {{ticket.subject}}"), _p(
        _("Hello, {{customer.name}}!"),
        _("We have received your request #{{ticket.number}} “{{ticket.subject}}” and will "
          "answer as soon as we can."),
        _("Follow it, reply or add files here (no password needed):") + " "
        + _link("ticket.status_url"),
        _("This address is just for you: please do not share it."),
        "— {{company.name}}")


def _reply() -> tuple[str, str]:
    return _("Re: {{ticket.subject}}"), (
        _p(_("Hello, {{customer.name}}!")) + "{{reply.body}}"
        + _p("{{agent.name}}, {{company.name}}",
             _("Answer by replying to this letter, or follow request #{{ticket.number}} "
               "here:") + " " + _link("ticket.status_url")))


def _resolved() -> tuple[str, str]:
    return _("Resolved: {{ticket.subject}}"), _p(
        _("Hello, {{customer.name}}!"),
        _("Your request #{{ticket.number}} “{{ticket.subject}}” is resolved."),
        _("If all is well, confirm it; if not, reopen it — both here:") + " "
        + _link("ticket.status_url"),
        _("How did we do? Rate our answer:") + " " + _link("ticket.rating_url"),
        "— {{company.name}}")


def _staff_new_ticket() -> tuple[str, str]:
    return _("New ticket: {{ticket.subject}}"), _p(
        _("Hello, {{staff.name}}!"),
        _("A new ticket #{{ticket.number}} “{{ticket.subject}}” from {{customer.name}} "
          "is waiting in your department."),
        _link("ticket.url", _("Open ticket #{{ticket.number}}")))


def _staff_assigned() -> tuple[str, str]:
    return _("Assigned to you: {{ticket.subject}}"), _p(
        _("Hello, {{staff.name}}!"),
        _("Ticket #{{ticket.number}} “{{ticket.subject}}” from {{customer.name}} is now "
          "assigned to you."),
        _link("ticket.url", _("Open ticket #{{ticket.number}}")))


_DEFAULTS = {"receipt": _receipt, "reply": _reply, "resolved": _resolved,
             "staff_new_ticket": _staff_new_ticket, "staff_assigned": _staff_assigned}


def default_letter(kind: str) -> tuple[str, str]:
    """``(subject, body)`` of ``kind``'s default in the current locale."""
    subject, body = _DEFAULTS[kind]()
    return str(subject), str(body)
