"""Checking the widget settings an admin sends: each ``clean_*`` returns the value as
stored or raises ValueError with a message for the field.

An allowed origin is exactly ``scheme://host[:port]`` as a browser sends it in ``Origin``:
http or https, no path, no wildcard; a default port is dropped and an international domain
name is stored in its ASCII form, so the stored value is compared to the header as is.
"""
import re
from urllib.parse import urlsplit

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from app.departments.models import Department
from app.extensions import db
from app.languages import LANGUAGES
from app.tickets.fields import active_definitions

# The form's own fields; any other name is the key of an active custom field.
BUILTIN = {"name": "text", "email": "email", "subject": "text", "body": "textarea",
           "department_id": "department", "attachments": "file"}
ALWAYS_REQUIRED = ("email", "body")  # a reply needs an address, a request needs words
DEFAULT_COLOR = "#2563eb"
TEXT_LIMITS = {"title": 60, "greeting": 300, "thanks": 300}
MAX_ORIGINS, MAX_FIELDS, MAX_LABEL = 50, 30, 100
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*"
                   r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_problem(raw: str) -> tuple[str | None, str | None]:
    """(the origin as a browser sends it, None) or (None, what is wrong with it)."""
    text = (raw or "").strip()
    example = _("Write it as scheme://host[:port], e.g. https://shop.example")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None, _("“%(value)s” is not an origin. %(example)s", value=text[:80],
                       example=example)
    scheme, host = parts.scheme.lower(), (parts.hostname or "")
    if scheme not in _DEFAULT_PORTS or not host or "*" in text:
        return None, _("“%(value)s” is not an origin. %(example)s", value=text[:80],
                       example=example)
    if parts.path or parts.query or parts.fragment or text.endswith(("?", "#")) \
            or parts.username is not None:
        return None, _("“%(value)s” has more than an origin: no path, not even “/”. "
                       "%(example)s", value=text[:80], example=example)
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        ascii_host = ""
    is_ip = ":" in host or re.fullmatch(r"[0-9.]+", host) is not None
    if not is_ip and not _HOST.match(ascii_host):
        return None, _("“%(value)s” is not an origin. %(example)s", value=text[:80],
                       example=example)
    host = f"[{host}]" if ":" in host else (host if is_ip else ascii_host)
    origin = f"{scheme}://{host}"
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        origin += f":{port}"
    return origin, None


def clean_origins(values) -> list[str]:
    out, problems = [], []
    for raw in values or []:
        if not str(raw).strip():
            continue
        origin, problem = origin_problem(str(raw))
        if problem:
            problems.append(problem)
        elif origin not in out:
            out.append(origin)
    if problems:
        raise ValueError(problems[0])
    if len(out) > MAX_ORIGINS:
        raise ValueError(ngettext("At most %(num)d site.", "At most %(num)d sites.",
                                  MAX_ORIGINS))
    return out


def _custom_field_keys() -> dict[str, bool]:
    return {key: field.required for key, field in active_definitions().items()}


def clean_fields(values) -> list[dict]:
    """The form's fields in order: known names, once each, e-mail and message always there
    and required."""
    if not values:
        raise ValueError(_("The form needs at least the e-mail and the message."))
    custom = _custom_field_keys()
    out, seen = [], set()
    for item in values:
        name = str(item.get("name") or "").strip()
        label = " ".join(str(item.get("label") or "").split())
        if name not in BUILTIN and name not in custom:
            raise ValueError(_("“%(name)s” is neither a form field nor an active custom "
                               "field.", name=name[:64]))
        if name in seen:
            raise ValueError(_("“%(name)s” is on the form twice.", name=name))
        if len(label) > MAX_LABEL:
            raise ValueError(ngettext("Labels are at most %(num)d character.",
                                      "Labels are at most %(num)d characters.", MAX_LABEL))
        seen.add(name)
        required = bool(item.get("required")) or name in ALWAYS_REQUIRED
        out.append({"name": name, "label": label, "required": required})
    missing = [name for name in ALWAYS_REQUIRED if name not in seen]
    if missing:
        raise ValueError(_("The form needs the e-mail and the message."))
    if len(out) > MAX_FIELDS:
        raise ValueError(ngettext("At most %(num)d field.", "At most %(num)d fields.",
                                  MAX_FIELDS))
    return out


def clean_departments(values) -> list[int]:
    ids = []
    for value in values or []:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(_("Expected department ids."))
        if value not in ids:
            ids.append(value)
    known = set(db.session.scalars(select(Department.id).where(Department.id.in_(ids)))) \
        if ids else set()
    if any(i not in known for i in ids):
        raise ValueError(_("No such department."))
    return ids


def clean_colors(values: dict) -> dict:
    primary = str((values or {}).get("primary") or DEFAULT_COLOR).strip()
    if not _COLOR.match(primary):
        raise ValueError(_("A colour such as #2563eb."))
    return {"primary": primary.lower()}


def clean_texts(values: dict) -> dict:
    out = {}
    for key, limit in TEXT_LIMITS.items():
        text = str((values or {}).get(key) or "").strip()
        if len(text) > limit:
            raise ValueError(ngettext("At most %(num)d character.", "At most %(num)d characters.",
                                      limit))
        out[key] = text
    return out


def clean_language(value) -> str:
    value = value or ""
    if value and value not in LANGUAGES:
        raise ValueError(_("Choose one of: %(values)s.", values=", ".join(LANGUAGES)))
    return value


CLEANERS = {"allowed_origins": clean_origins, "fields": clean_fields,
            "department_ids": clean_departments, "colors": clean_colors,
            "texts": clean_texts, "language": clean_language}
