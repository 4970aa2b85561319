"""Labels and select choices for the ticket vocabularies, shared by the rules' forms."""
from flask_babel import lazy_gettext as _l

from app.departments.service import list_departments
from app.staff.service import list_staff

STATUS_LABELS = {"new": _l("New"), "open": _l("Open"), "pending": _l("Pending customer"),
                 "on_hold": _l("On hold"), "resolved": _l("Resolved"), "closed": _l("Closed")}
PRIORITY_LABELS = {"low": _l("Low"), "normal": _l("Normal"), "high": _l("High"),
                   "urgent": _l("Urgent")}
TYPE_LABELS = {"incident": _l("Incident"), "service_request": _l("Service request"),
               "information_request": _l("Information request"),
               "documentation_request": _l("Documentation request"),
               "change_request": _l("Change request")}
CHANNEL_LABELS = {"widget": _l("Widget"), "email": _l("E-mail"), "portal": _l("Portal"),
                  "api": _l("API"), "staff": _l("Entered by staff")}


def optional(labels: dict, empty=None) -> list[tuple[str, str]]:
    """Select choices with a leading "no change" entry."""
    return [("", empty or _l("— no change —"))] + list(labels.items())


def department_choices(empty=None) -> list[tuple[str, str]]:
    return [("", empty or _l("— no change —"))] + [(str(d.id), d.name)
                                                    for d in list_departments()]


def staff_choices(empty=None) -> list[tuple[str, str]]:
    return [("", empty or _l("— no change —"))] + [(str(s.id), s.name) for s in list_staff()
                                                    if s.active]


def int_or_none(value) -> int | None:
    """A validated select's value as an id ("" is none)."""
    return int(value) if value not in (None, "") else None
