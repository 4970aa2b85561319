"""The inbox's views and filters, turned into the listing service's arguments.

A view is a named starting point (mine, unassigned, …); filters narrow it further.
The listing service (``app.tickets.listing``) does the querying and the keyset pages.
"""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.db_types import utcnow
from app.tickets.constants import PAUSED_STATUSES, PRIORITIES, STATUSES, TYPES
from app.tickets.display import ACTIVE, NEAR
from app.tickets.listing import list_tickets
from app.tickets.views_base import my_department_ids
from app.ui import int_or_none

FILTERS = ("status", "priority", "type", "department_id", "assignee_id", "tag", "requester")


@dataclass(frozen=True)
class View:
    key: str
    label: object
    # Arguments for list_tickets; "me" is replaced by the current staff member's id.
    defaults: dict
    active_only: bool = True  # show only active statuses unless a status is picked


VIEWS = [
    View("open", _l("Open tickets"), {}),
    View("mine", _l("Mine"), {"assignee_id": "me"}),
    View("unassigned", _l("Unassigned"), {"unassigned": True}),
    View("departments", _l("My departments"), {}),
    View("all", _l("All"), {}, active_only=False),
    View("breach", _l("Near breach"), {}),
    View("pending", _l("Pending"), {"status": list(PAUSED_STATUSES)}, active_only=False),
    View("deferred", _l("Over the daily limit"), {"deferred": True}, active_only=False),
    View("spam", _l("Spam"), {"spam": True, "deferred": None}, active_only=False),
    View("trash", _l("Trash"), {"deleted": True, "deferred": None, "spam": None},
         active_only=False),
    View("archive", _l("Archive"), {"archived": True, "deferred": None}, active_only=False),
]
VIEWS_BY_KEY = {view.key: view for view in VIEWS}
DEFAULT_VIEW = VIEWS[0]


def chosen_filters(args) -> dict:
    """The filters from the query string, only well-formed ones (the service checks values)."""
    chosen = {}
    for name in ("status", "priority", "type"):
        allowed = {"status": STATUSES, "priority": PRIORITIES, "type": TYPES}[name]
        values = [v for v in args.getlist(name) if v]
        if values:
            chosen[name] = [v for v in values if v in allowed] or values  # bad → service 422
    for name in ("department_id", "assignee_id"):
        value = args.get(name)
        if value == "none" and name == "assignee_id":
            chosen["unassigned"] = True
        elif int_or_none(value) is not None:
            chosen[name] = int_or_none(value)
    if args.get("tag", "").strip():
        chosen["tag"] = args["tag"].strip()
    if args.get("requester", "").strip():
        chosen["requester_email"] = args["requester"].strip()
    return chosen


def inbox_page(staff, *, view: View, filters: dict, q: str, cursor: int | None,
               limit: int = 50):
    """A keyset page of the inbox for ``view`` narrowed by ``filters`` (and ``q``)."""
    arguments = {key: (staff.id if value == "me" else value)
                 for key, value in view.defaults.items()}
    if "unassigned" in filters or "assignee_id" in filters:
        arguments.pop("assignee_id", None)
        arguments.pop("unassigned", None)
    arguments.update(filters)
    if q:
        # A search finds finished and archived tickets too, unless a filter says otherwise.
        arguments.setdefault("archived", None)
        arguments["q"] = q
    elif view.active_only and "status" not in filters:
        arguments["status"] = ACTIVE
    if view.key == "departments":
        arguments["department_ids"] = my_department_ids() or [-1]
    elif view.key == "breach":
        arguments["due_by"] = utcnow() + NEAR
    return list_tickets(staff, cursor=cursor, limit=limit, **arguments)
