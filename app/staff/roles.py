"""Who may do what, by role — the check the service functions make on their actor.

The page, the API, the widget, mail import and jobs all call the same service function, so
the rule they enforce is the one it checks here; each service's docstring says who may do
what, and why. Decorators ask for a login (routing and SLA also refuse early, naming the
service's own tuple). ``None`` — no one — holds no role: a caller that lost its actor is
refused, never waved through.
"""
from flask_babel import lazy_gettext as _l

from app.errors import Forbidden
from app.staff.models import ROLES

EVERYONE = ROLES
# Those who run the desk: the admin owns the account, the manager the daily operation.
MANAGERS = ("admin", "manager")
ADMINS = ("admin",)
# How roles and department access levels read on pages and in event sentences.
ROLE_CHOICES = [("agent", _l("Agent")), ("manager", _l("Manager")), ("admin", _l("Admin"))]
ACCESS_LABELS = {"": _l("No access"), "view": _l("View"), "reply": _l("Reply"),
                 "manage": _l("Manage")}


def has_role(actor, roles: tuple[str, ...]) -> bool:
    """Whether ``actor`` (a staff member, or None for nobody) holds one of ``roles``."""
    return getattr(actor, "role", None) in roles


def require_role(actor, roles: tuple[str, ...]) -> None:
    """Raise ``Forbidden`` (403) unless ``actor`` holds one of ``roles``."""
    if not has_role(actor, roles):
        raise Forbidden()
