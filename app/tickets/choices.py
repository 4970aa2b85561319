"""Labels and select choices for the ticket vocabularies, shared by the forms that set them:
routing rules, response templates and SLA targets (each imports the desk, not the others)."""
from flask_babel import lazy_gettext as _l

from app.departments.service import list_departments
from app.staff.service import list_staff
from app.tickets.constants import (  # noqa: F401  (the forms import them from here)
    CHANNEL_LABELS,
    PRIORITY_LABELS,
    STATUS_LABELS,
    TYPE_LABELS,
)


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
