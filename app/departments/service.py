"""Department service functions: create, update, delete, and the checks that guard them.

Rights, for the page and the API alike:

* Reading the departments — every staff member: they are the queues tickets sit in, named
  in every ticket, filter and transfer.
* Creating, renaming and deleting them — admins only. Departments are the frame of the
  desk's rights (who may view, reply or manage where is set per department), which the
  admin sets up with the staff.
"""
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from app.departments import signals
from app.departments.models import Department
from app.errors import Conflict, NotFound, ValidationFailed
from app.events.service import record_event
from app.extensions import db
from app.settings_cache import settings_changed
from app.staff.roles import ADMINS, EVERYONE, has_role, require_role

READERS = EVERYONE
EDITORS = ADMINS


def can_change_departments(actor) -> bool:
    """Whether ``actor`` may create, rename or delete departments (pages hide the controls)."""
    return has_role(actor, EDITORS)


def read_departments(*, actor):
    """The query of every department, for a staff member to read (the API pages it)."""
    require_role(actor, READERS)
    return select(Department)


def view_department(*, actor, department_id: int) -> Department:
    """One department, for a staff member to read (404 when it isn't there)."""
    require_role(actor, READERS)
    return get_department(department_id)


def department_to_edit(*, actor, department_id: int) -> Department:
    """One department, for someone who may change it (the editing page)."""
    require_role(actor, EDITORS)
    return get_department(department_id)


def get_department(department_id: int) -> Department:
    department = db.session.get(Department, department_id)
    if department is None:
        raise NotFound(_("Department not found."))
    return department


def _clean_name(name: str, *, exclude_id: int | None = None) -> str:
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationFailed(fields={"name": _("Enter a name of 1–100 characters.")})
    # Compared in Python: casefold() knows every alphabet (SQLite's lower() only ASCII).
    taken = {other.casefold() for department_id, other in db.session.execute(
        select(Department.id, Department.name)) if department_id != exclude_id}
    if name.casefold() in taken:
        raise Conflict(_("A department named “%(name)s” already exists.", name=name),
                       fields={"name": _("This name is taken.")})
    return name


def create_department(*, actor, name: str, description: str = "") -> Department:
    """Create a department in the current tenant."""
    require_role(actor, EDITORS)
    department = Department(name=_clean_name(name), description=(description or "").strip())
    db.session.add(department)
    db.session.flush()
    record_event(actor, "department.created", department, {"name": department.name})
    return department


def update_department(*, actor, department_id: int, name: str | None = None,
                      description: str | None = None) -> Department:
    """Rename a department or change its description; the event keeps before and after."""
    require_role(actor, EDITORS)
    department = get_department(department_id)
    before = {"name": department.name, "description": department.description}
    if name is not None:
        department.name = _clean_name(name, exclude_id=department.id)
    if description is not None:
        department.description = description.strip()
    after = {"name": department.name, "description": department.description}
    if after != before:
        record_event(actor, "department.updated", department, {"before": before, "after": after})
    return department


def delete_department(*, actor, department_id: int) -> None:
    """Delete a department no ticket uses; otherwise refuse with the count."""
    require_role(actor, EDITORS)
    department = get_department(department_id)
    in_use = signals.rows_using(department.id)
    if in_use:
        raise Conflict(ngettext(
            "“%(name)s” is used by %(num)d ticket; move it to another department first.",
            "“%(name)s” is used by %(num)d tickets; move them to another department first.",
            in_use, name=department.name))
    record_event(actor, "department.deleted", department, {"name": department.name})
    db.session.delete(department)
    db.session.flush()
    settings_changed()  # forms that offer departments (the widget's) are cached


def list_departments() -> list[Department]:
    """Every department by name: for forms and lookups of code that has checked its actor."""
    return db.session.scalars(select(Department).order_by(Department.name)).all()
