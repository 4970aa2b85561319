"""Who may do what, by role — the check the service functions make on their actor.

The page and the API both call the same service function, so the rule they enforce is
this one; their own decorators only repeat it coarsely (a 403 before any work is done).
"""
from app.errors import Forbidden
from app.staff.models import ROLES

EVERYONE = ROLES
# Those who run the desk: the admin owns the account, the manager the daily operation.
MANAGERS = ("admin", "manager")
ADMINS = ("admin",)


def has_role(actor, roles: tuple[str, ...]) -> bool:
    """Whether ``actor`` (a staff member, or None for nobody) holds one of ``roles``."""
    return getattr(actor, "role", None) in roles


def require_role(actor, roles: tuple[str, ...]) -> None:
    """Raise ``Forbidden`` (403) unless ``actor`` holds one of ``roles``."""
    if not has_role(actor, roles):
        raise Forbidden()
