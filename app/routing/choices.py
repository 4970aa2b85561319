"""Labels and select choices for the ticket vocabularies, shared by the rules' forms."""
from flask_babel import lazy_gettext as _l

from app.departments.service import list_departments
from app.staff.service import list_staff
from app.tickets.constants import CHANNELS, LABELS, PRIORITIES, STATUSES, TYPES

# The ticket area's labels, grouped per vocabulary for the selects.
STATUS_LABELS = {value: LABELS[value] for value in STATUSES}
PRIORITY_LABELS = {value: LABELS[value] for value in PRIORITIES}
TYPE_LABELS = {value: LABELS[value] for value in TYPES}
CHANNEL_LABELS = {value: LABELS[value] for value in CHANNELS}


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
