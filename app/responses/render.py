"""The safe placeholder renderer for response templates.

Templates are written by tenant staff, so they are never given to Jinja: a regular
expression finds ``{{ path }}`` and replaces it with the HTML-escaped value from a
flat dict. Anything it does not know becomes an empty string (and is reported by
``template_problems``), so a typo never leaks braces or markup into a reply.
"""
import html
import re

from app.tickets.sanitize import sanitize_html

# Loose on purpose: "{{ customer name }}" must be caught (and blanked), not sent as is.
PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
PATH = re.compile(r"^[a-z_]+(\.[a-z_]+)*$")
CUSTOM_PREFIX = "ticket.custom."
CUSTOM_KEY = re.compile(r"^[A-Za-z0-9_\-]{1,64}$")
KNOWN = ("customer.name", "ticket.number", "ticket.subject", "agent.name", "ticket.status_url")


def sanitize(body: str) -> str:
    """The HTML a template may keep: what a reply may carry (the one sanitizer of
    app/tickets/sanitize.py), its links and images also starting with a placeholder."""
    return sanitize_html(body, placeholders=True)


def placeholders(body: str) -> list[str]:
    """Every placeholder in ``body`` as written (stripped), in order."""
    return [match.group(1).strip() for match in PLACEHOLDER.finditer(body or "")]


def is_known(path: str, custom_keys: set[str] | None = None) -> bool:
    """Whether ``path`` is a placeholder the renderer fills.

    ``custom_keys`` are the tenant's custom field keys; ``None`` accepts any
    well-formed ``ticket.custom.<key>`` (used when the definitions are not at hand).
    """
    if path in KNOWN:
        return True
    if path.startswith(CUSTOM_PREFIX):
        key = path[len(CUSTOM_PREFIX):]
        return bool(CUSTOM_KEY.match(key)) and (custom_keys is None or key in custom_keys)
    return False


def template_problems(body: str, custom_keys: set[str] | None = None) -> list[str]:
    """The placeholders in ``body`` that will render empty, each once, in order."""
    seen: list[str] = []
    for path in placeholders(body):
        if not is_known(path, custom_keys) and path not in seen:
            seen.append(path)
    return seen


def render(body: str, values: dict[str, object]) -> tuple[str, list[str]]:
    """Fill ``body``'s placeholders from ``values`` (keys are paths like ``ticket.number``).

    Returns the HTML and the placeholders that had no value. Values are escaped, and the
    result is sanitized again, every link now judged as a URL, so that a value can't smuggle
    a ``javascript:`` URL into an ``href`` the template author wrote.
    """
    missing: list[str] = []

    def fill(match: re.Match) -> str:
        path = match.group(1).strip()
        value = values.get(path)
        if value is None or value == "":
            if path not in missing:
                missing.append(path)
            return ""
        return html.escape(str(value), quote=True)

    return sanitize_html(PLACEHOLDER.sub(fill, body or "")), missing
