"""Department service functions: create, update, delete, and the checks that guard them."""
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from app.departments import signals
from app.departments.models import Department
from app.errors import Conflict, NotFound, ValidationFailed
from app.events.service import record_event
from app.extensions import db


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
    department = Department(name=_clean_name(name), description=(description or "").strip())
    db.session.add(department)
    db.session.flush()
    record_event(actor, "department.created", department, {"name": department.name})
    return department


def update_department(*, actor, department_id: int, name: str | None = None,
                      description: str | None = None) -> Department:
    """Rename a department or change its description; the event keeps before and after."""
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


def list_departments() -> list[Department]:
    return db.session.scalars(select(Department).order_by(Department.name)).all()
