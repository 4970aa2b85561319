"""A letter shown with sample values, for the admin's editor (page and API)."""
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from app.letters import templates
from app.letters.kinds import extra_placeholders
from app.letters.render import Rendered, render_letter
from app.responses.context import custom_field_keys
from app.responses.render import KNOWN
from tenants.resolve import current_tenant

SAMPLE_NUMBER = 1042


def placeholders_of(kind: str) -> list[str]:
    """Every placeholder a letter of ``kind`` may use (custom fields by key)."""
    return [*KNOWN, *extra_placeholders(kind),
            *(f"ticket.custom.{key}" for key in sorted(custom_field_keys()))]


def sample_values(*, agent_name: str) -> dict:
    """What the preview fills in, in the current locale."""
    base = current_app.config["BASE_URL"]
    status = f"{base}/p/{current_tenant().slug}/t/sample"
    return {"customer.name": _("Jane Customer"), "ticket.number": str(SAMPLE_NUMBER),
            "ticket.subject": _("Cannot log in"), "agent.name": agent_name,
            "ticket.status_url": status, "ticket.rating_url": f"{status}#rating",
            "company.name": current_tenant().name, "staff.name": agent_name,
            "ticket.url": f"{base}/app/tickets/{SAMPLE_NUMBER}"} | {
        f"ticket.custom.{key}": f"[{key}]" for key in custom_field_keys()}


def sample_reply() -> str:
    return "<p>" + _("Please sign in again with the new password we have set for you.") + "</p>"


def preview(*, actor, kind: str, language: str, subject: str | None = None,
            body: str | None = None) -> Rendered:
    """``kind`` in ``language`` with sample values: the stored wording, or the ``subject``
    and ``body`` being edited (checked like a save, so a preview shows what would be
    refused)."""
    stored = templates.view_letter(actor=actor, kind=kind, language=language)
    if subject is not None or body is not None:
        subject, body = templates.clean(kind, stored.subject if subject is None else subject,
                                        stored.body if body is None else body)
    else:
        subject, body = stored.subject, stored.body
    with force_locale(language):
        values = sample_values(agent_name=actor.name)
        return render_letter(subject, body, values, number=SAMPLE_NUMBER,
                             reply_html=sample_reply() if kind == "reply" else None)
