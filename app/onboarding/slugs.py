"""Tenant address slugs: 3–40 of a-z, 0-9 and '-', not a reserved word."""
import re

from flask_babel import gettext as _

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,38})[a-z0-9]$")
RESERVED = frozenset(
    """admin administrator api app apps assets auth billing blog cdn dashboard docs help
    helpdesk healthz internal kb login logout mail media metrics oauth operator portal root
    settings signup static status support system t test www widget""".split()
)


def slug_problem(slug: str) -> str | None:
    """Why ``slug`` cannot be a tenant address, or None."""
    if not SLUG_RE.match(slug or "") or "--" in slug:
        return _("Use 3–40 characters: lowercase letters, digits and single hyphens, "
                 "not starting or ending with a hyphen.")
    if slug in RESERVED:
        return _("This address is reserved; choose another.")
    return None
