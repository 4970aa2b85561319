"""Who may do what in the knowledge base, for the pages and the API alike: every staff
member reads (agents answer with articles, internal ones included); admins and managers
write, publish and moderate."""
from app.staff.roles import EVERYONE, MANAGERS, has_role, require_role

READERS = EVERYONE
EDITORS = MANAGERS


def can_edit(actor) -> bool:
    """Whether ``actor`` may change the knowledge base (pages hide the controls)."""
    return has_role(actor, EDITORS)


def require_reader(actor) -> None:
    require_role(actor, READERS)


def require_editor(actor) -> None:
    require_role(actor, EDITORS)
