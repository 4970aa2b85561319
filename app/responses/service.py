"""Response template service: create, edit, delete, search for the picker, render for a ticket.

Rights, for the page, the reply box's picker and the API alike:

* Reading and using templates — every staff member, for the departments whose tickets they
  see (the shared templates and those of their departments; admins and managers all).
* Creating, changing and deleting them — admins and managers. A template is the desk's
  voice, sent to customers by everyone, and may set a ticket's status, priority and
  assignee; the people who run the desk keep them.
"""
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import event, func, or_, select, update

from app.departments.models import Department
from app.departments.service import get_department
from app.errors import Conflict, NotFound, ValidationFailed
from app.events.service import record_event
from app.extensions import db
from app.responses.models import ResponseTemplate
from app.responses.render import render, sanitize, template_problems
from app.staff.models import Staff
from app.staff.roles import EVERYONE, MANAGERS, has_role, require_role
from app.staff.service import get_staff
from app.tickets.access import department_rights, sees_all
from app.tickets.constants import PRIORITIES, STATUSES

MAX_BODY = 50_000
EDITABLE = ("name", "body", "department_id", "set_status", "set_priority", "set_assignee_id")
READERS = EVERYONE  # within the departments they see (``visible_department_ids``)
EDITORS = MANAGERS


def can_change_templates(actor) -> bool:
    """Whether ``actor`` may create, change or delete templates (pages hide the controls)."""
    return has_role(actor, EDITORS)


def check_can_change_templates(actor) -> None:
    """Refuse (403) unless ``actor`` may change templates: the empty editor's own check."""
    require_role(actor, EDITORS)


def visible_department_ids(staff) -> set[int] | None:
    """The departments whose templates ``staff`` may use; ``None`` means all. The same
    rule as for tickets: admins and managers see every department, agents their own."""
    if staff is None or sees_all(staff):
        return None
    return set(department_rights(staff))


def _visible(stmt, staff):
    allowed = visible_department_ids(staff)
    if allowed is None:
        return stmt
    return stmt.where(or_(ResponseTemplate.department_id.is_(None),
                          ResponseTemplate.department_id.in_(allowed)))


def view_template(*, actor, template_id: int) -> ResponseTemplate:
    """One template for a staff member to read or use (404 outside their departments)."""
    require_role(actor, READERS)
    return get_template(template_id, staff=actor)


def template_to_edit(*, actor, template_id: int) -> ResponseTemplate:
    """One template, for someone who may change it (the editor)."""
    require_role(actor, EDITORS)
    return get_template(template_id)


def get_template(template_id: int, *, staff=None) -> ResponseTemplate:
    """One template; another tenant's, or one of a department ``staff`` can't see, is 404.
    A lookup for code that has checked its actor; without ``staff``, any department's."""
    template = db.session.scalar(_visible(
        select(ResponseTemplate).where(ResponseTemplate.id == template_id), staff))
    if template is None:
        raise NotFound(_("Response template not found."))
    return template


def search_templates(*, staff, q: str | None = None, department_id: int | None = None,
                     limit: int = 50) -> list[ResponseTemplate]:
    """Templates for the reply-box picker: matching ``q`` in name or body, those of the
    agent's departments (and the shared ones), the department's own ones first."""
    require_role(staff, READERS)
    stmt = _visible(select(ResponseTemplate), staff)
    if q and q.strip():
        pattern = "%" + q.strip().lower().replace("\\", "\\\\").replace("%", "\\%") \
            .replace("_", "\\_") + "%"
        stmt = stmt.where(or_(func.lower(ResponseTemplate.name).like(pattern, escape="\\"),
                              func.lower(ResponseTemplate.body).like(pattern, escape="\\")))
    if department_id is not None:
        stmt = stmt.where(or_(ResponseTemplate.department_id.is_(None),
                              ResponseTemplate.department_id == department_id))
        stmt = stmt.order_by(ResponseTemplate.department_id.is_(None))
    stmt = stmt.order_by(func.lower(ResponseTemplate.name), ResponseTemplate.id)
    return list(db.session.scalars(stmt.limit(limit)))


def _clean(values: dict, *, exclude_id: int | None = None) -> dict:
    """Validate the given fields (others untouched); references of another tenant are 404."""
    fields, out = {}, {}
    if "name" in values:
        name = (values["name"] or "").strip()
        if not 1 <= len(name) <= 200:
            fields["name"] = _("Enter a name of 1–200 characters.")
        else:
            out["name"] = name
    if "body" in values:
        body = values["body"] or ""
        if len(body) > MAX_BODY:
            fields["body"] = ngettext("The text is longer than %(num)d character.",
                                      "The text is longer than %(num)d characters.", MAX_BODY)
        else:
            out["body"] = sanitize(body)
    if values.get("set_status") not in (None, *STATUSES):
        fields["set_status"] = _("Choose one of: %(values)s.", values=", ".join(STATUSES))
    if values.get("set_priority") not in (None, *PRIORITIES):
        fields["set_priority"] = _("Choose one of: %(values)s.", values=", ".join(PRIORITIES))
    if fields:
        raise ValidationFailed(fields=fields)
    for key in ("set_status", "set_priority"):
        if key in values:
            out[key] = values[key]
    if "department_id" in values:
        out["department_id"] = values["department_id"]
        if values["department_id"] is not None:
            get_department(values["department_id"])
    if "set_assignee_id" in values:
        out["set_assignee_id"] = values["set_assignee_id"]
        if values["set_assignee_id"] is not None:
            get_staff(values["set_assignee_id"])
    if "name" in out:
        stmt = select(ResponseTemplate.id).where(
            func.lower(ResponseTemplate.name) == out["name"].lower())
        if exclude_id is not None:
            stmt = stmt.where(ResponseTemplate.id != exclude_id)
        if db.session.scalar(stmt) is not None:
            raise Conflict(_("A template named “%(name)s” already exists.", name=out["name"]),
                           fields={"name": _("This name is taken.")})
    return out


def _snapshot(template: ResponseTemplate) -> dict:
    return {key: getattr(template, key) for key in EDITABLE}


def create_template(*, actor, name: str, body: str, department_id: int | None = None,
                    set_status: str | None = None, set_priority: str | None = None,
                    set_assignee_id: int | None = None) -> ResponseTemplate:
    """Create a template; the body is sanitized before it is stored."""
    require_role(actor, EDITORS)
    values = _clean({"name": name, "body": body, "department_id": department_id,
                     "set_status": set_status, "set_priority": set_priority,
                     "set_assignee_id": set_assignee_id})
    template = ResponseTemplate(**values)
    db.session.add(template)
    db.session.flush()
    record_event(actor, "response_template.created", template, _snapshot(template))
    return template


def update_template(*, actor, template_id: int, **changes) -> ResponseTemplate:
    """Change the given fields (a field passed as ``None`` is cleared where it may be)."""
    require_role(actor, EDITORS)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    template = get_template(template_id)
    if "name" in changes and changes["name"] is None:
        del changes["name"]
    if "body" in changes and changes["body"] is None:
        del changes["body"]
    before = _snapshot(template)
    for key, value in _clean(changes, exclude_id=template.id).items():
        setattr(template, key, value)
    after = _snapshot(template)
    if after != before:
        db.session.flush()
        record_event(actor, "response_template.updated", template,
                     {"name": template.name,
                      "before": {k: v for k, v in before.items() if after[k] != v},
                      "after": {k: v for k, v in after.items() if before[k] != v}})
    return template


def delete_template(*, actor, template_id: int) -> None:
    """Delete a template (tickets keep the text already sent)."""
    require_role(actor, EDITORS)
    template = get_template(template_id)
    record_event(actor, "response_template.deleted", template, {"name": template.name})
    db.session.delete(template)
    db.session.flush()


def render_template_for(*, staff, template_id: int, values: dict) -> dict:
    """Render a template with a ticket's values: ``{html, actions, missing}``.

    ``values`` comes from ``app.responses.context.ticket_values``; ``missing`` lists the
    placeholders that rendered empty (unknown, or no value on this ticket).
    """
    template = view_template(actor=staff, template_id=template_id)
    html, missing = render(template.body, values)
    return {"id": template.id, "name": template.name, "html": html,
            "actions": template.actions(), "missing": missing}


def problems(template: ResponseTemplate, custom_keys: set[str] | None = None) -> list[str]:
    """Unknown placeholders in the stored body, for the editor."""
    return template_problems(template.body, custom_keys)


# Deleting a department or a staff member clears the reference. PostgreSQL's
# ON DELETE SET NULL (column) does this too; SQLite can't name the column.
@event.listens_for(Department, "before_delete")
def _forget_department(mapper, connection, target):
    connection.execute(update(ResponseTemplate.__table__).where(
        ResponseTemplate.__table__.c.tenant_id == target.tenant_id,
        ResponseTemplate.__table__.c.department_id == target.id).values(department_id=None))


@event.listens_for(Staff, "before_delete")
def _forget_staff(mapper, connection, target):
    connection.execute(update(ResponseTemplate.__table__).where(
        ResponseTemplate.__table__.c.tenant_id == target.tenant_id,
        ResponseTemplate.__table__.c.set_assignee_id == target.id).values(set_assignee_id=None))
