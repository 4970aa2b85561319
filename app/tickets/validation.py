"""Checks shared by the ticket service functions: choices, tags, departments, assignees."""
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from app.departments.models import Department
from app.errors import NotFound, ValidationFailed
from app.extensions import db
from app.staff.models import Staff
from app.tickets.access import RANK, level_in

MAX_TAGS, MAX_TAG_LENGTH = 20, 50


def check_choice(field: str, value: str | None, allowed: tuple, *, optional: bool = False):
    """422 naming ``field`` and the allowed values unless ``value`` is one of them."""
    if value is None and optional:
        return None
    if value not in allowed:
        raise ValidationFailed(
            _("%(field)s must be one of: %(values)s.", field=field, values=", ".join(allowed)),
            fields={field: _("Choose one of: %(values)s.", values=", ".join(allowed))})
    return value


def clean_tags(tags) -> list[str]:
    if tags is None:
        return []
    if not isinstance(tags, list | tuple):
        raise ValidationFailed(fields={"tags": _("Expected a list of tags.")})
    cleaned: list[str] = []
    for tag in tags:
        tag = str(tag).strip().lower()
        if not tag:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            raise ValidationFailed(fields={"tags": ngettext(
                "Tags are at most %(num)d character.", "Tags are at most %(num)d characters.",
                MAX_TAG_LENGTH)})
        if tag not in cleaned:
            cleaned.append(tag)
    if len(cleaned) > MAX_TAGS:
        raise ValidationFailed(fields={"tags": ngettext(
            "At most %(num)d tag.", "At most %(num)d tags.", MAX_TAGS)})
    return cleaned


def clean_subject(subject: str | None, *, fallback: str = "") -> str:
    subject = " ".join((subject or "").split())
    if not subject:
        subject = " ".join(fallback.split())[:80]
    if not subject:
        raise ValidationFailed(fields={"subject": _("Enter a subject.")})
    if len(subject) > 500:
        raise ValidationFailed(fields={"subject": _("Keep the subject under 500 characters.")})
    return subject


def department_or_404(department_id: int | None) -> Department | None:
    if department_id is None:
        return None
    department = db.session.get(Department, department_id)
    if department is None:
        raise NotFound(_("Department not found."))
    return department


def assignee_or_error(assignee_id: int | None, department_id: int | None) -> Staff | None:
    """The staff member to assign: of this tenant (else 404), active, and able to reply in
    the ticket's department (else 422) — assigning work someone can't see helps nobody."""
    if assignee_id is None:
        return None
    staff = db.session.get(Staff, assignee_id)
    if staff is None:
        raise NotFound(_("Staff member not found."))
    if not staff.active:
        raise ValidationFailed(fields={"assignee_id": _("%(name)s is deactivated.",
                                                        name=staff.name)})
    level = level_in(staff, department_id)
    if level is None or RANK[level] < RANK["reply"]:
        raise ValidationFailed(fields={"assignee_id": _(
            "%(name)s has no reply right in this department.", name=staff.name)})
    return staff


def staff_ids(ids) -> set[int]:
    return set(db.session.scalars(select(Staff.id).where(Staff.id.in_(list(ids)))))
