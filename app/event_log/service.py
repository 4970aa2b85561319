"""Reading the event log: the filtered query the page and the API share.

Rights, for the page and the API alike: admins and managers read the log; agents do not. It
records everyone's sign-ins, the addresses they came from, staff and billing changes and
every ticket in every department — the oversight of those who run the desk, not an agent's
work. Nobody changes it: it is append-only (``app.events``).
"""
from sqlalchemy import select

from app.events.models import Event
from app.staff.roles import MANAGERS, has_role, require_role

READERS = MANAGERS


def can_read_events(actor) -> bool:
    """Whether ``actor`` may read the event log (the nav bar shows it to them)."""
    return has_role(actor, READERS)


def events_query(*, actor, actor_id: int | None = None, action: str | None = None,
                 object_type: str | None = None, since=None, until=None):
    """The filtered event log of the current tenant (``action`` ending in '.' is a prefix),
    for someone who may read it. ``actor_id`` filters by who acted; ``actor`` is the reader."""
    require_role(actor, READERS)
    stmt = select(Event)
    if actor_id is not None:
        stmt = stmt.where(Event.actor_id == actor_id)
    if action:
        stmt = stmt.where(Event.action.startswith(action) if action.endswith(".")
                          else Event.action == action)
    if object_type:
        stmt = stmt.where(Event.object_type == object_type)
    if since is not None:
        stmt = stmt.where(Event.at >= since)
    if until is not None:
        stmt = stmt.where(Event.at < until)
    return stmt
