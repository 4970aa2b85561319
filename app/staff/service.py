"""Staff service functions: create/invite, update, role and department rights, removal.

Rights, for the page and the API alike:

* Reading the staff and their department rights — every staff member: the colleagues one
  assigns, transfers and escalates to.
* Adding (or inviting), changing and removing staff, their roles and department rights —
  admins only. Staff are what the plan counts and charges for, and roles and department
  rights decide who sees which customers' tickets: the account owner's decisions.
* One's own name, language and password — everyone, for themselves (``update_profile``).

The first admin is made by signup (``create_first_admin``), before anyone could act.
"""
from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from app.addresses import InvalidAddress
from app.addresses import normalized as normalized_address
from app.auth.sessions import end_sessions, kept_session
from app.departments.models import Department
from app.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.events.service import record_event
from app.extensions import db
from app.languages import LANGUAGES
from app.staff import signals
from app.staff.models import ACCESS_LEVELS, ROLES, DepartmentAccess, Staff
from app.staff.roles import ADMINS, EVERYONE, has_role, require_role
from tenants.passwords import UNUSABLE_PASSWORD, hash_password, password_problem

READERS = EVERYONE
EDITORS = ADMINS


def can_manage_staff(actor) -> bool:
    """Whether ``actor`` may add, change or remove staff (pages hide the controls)."""
    return has_role(actor, EDITORS)


def read_staff(*, actor):
    """The query of every staff member, for a staff member to read (unordered)."""
    require_role(actor, READERS)
    return select(Staff)


def view_staff(*, actor, staff_id: int) -> Staff:
    """One staff member, for a colleague to read (404 when they aren't there)."""
    require_role(actor, READERS)
    return get_staff(staff_id)


def staff_to_edit(*, actor, staff_id: int) -> Staff:
    """One staff member, for someone who may change them (the editing page)."""
    require_role(actor, EDITORS)
    return get_staff(staff_id)


def normalize_email(raw: str) -> str:
    try:
        return normalized_address((raw or "").strip())
    except InvalidAddress:
        raise ValidationFailed(fields={"email": _("Enter a valid e-mail address.")}) from None


def get_staff(staff_id: int) -> Staff:
    staff = db.session.get(Staff, staff_id)
    if staff is None:
        raise NotFound(_("Staff member not found."))
    return staff


def _check_fields(*, name: str | None = None, role: str | None = None,
                  language: str | None = None) -> None:
    fields = {}
    if name is not None and not (1 <= len(name.strip()) <= 200):
        fields["name"] = _("Enter a name of 1–200 characters.")
    if role is not None and role not in ROLES:
        fields["role"] = _("Choose one of: %(values)s.", values=", ".join(ROLES))
    if language is not None and language not in LANGUAGES:
        fields["language"] = _("Choose one of: %(values)s.", values=", ".join(LANGUAGES))
    if fields:
        raise ValidationFailed(fields=fields)


def _check_access(access: dict[int, str]) -> None:
    bad = [level for level in access.values() if level not in ACCESS_LEVELS]
    if bad:
        raise ValidationFailed(fields={"departments": _(
            "Access must be one of: %(values)s.", values=", ".join(ACCESS_LEVELS))})
    ids = set(access)
    if ids:
        found = set(db.session.scalars(select(Department.id).where(Department.id.in_(ids))))
        if found != ids:
            raise NotFound(_("Department not found."))


def set_department_access(*, actor, staff: Staff, access: dict[int, str]) -> None:
    """Replace ``staff``'s department rights with ``{department_id: level}``."""
    require_role(actor, EDITORS)
    _check_access(access)
    before = current_access(staff.id)
    if before == access:
        return
    db.session.execute(delete(DepartmentAccess).where(DepartmentAccess.staff_id == staff.id))
    for department_id, level in sorted(access.items()):
        db.session.add(DepartmentAccess(staff_id=staff.id, department_id=department_id,
                                        access=level))
    db.session.flush()
    record_event(actor, "staff.access_changed", staff, {
        "before": {str(k): v for k, v in before.items()},
        "after": {str(k): v for k, v in access.items()}})


def current_access(staff_id: int) -> dict[int, str]:
    rows = db.session.execute(
        select(DepartmentAccess.department_id, DepartmentAccess.access).where(
            DepartmentAccess.staff_id == staff_id)
    )
    return {department_id: level for department_id, level in rows}


def create_staff(*, actor, name: str, email: str, password: str | None, role: str = "agent",
                 language: str | None = None, access: dict[int, str] | None = None,
                 tenant_id: int | None = None) -> Staff:
    """Add a staff member to the current tenant (within the plan's staff limit).
    With ``password=None`` the account can't log in until an invitation is accepted."""
    require_role(actor, EDITORS)
    return _add_staff(actor=actor, name=name, email=email, password=password, role=role,
                      language=language, access=access, tenant_id=tenant_id)


def create_first_admin(*, name: str, email: str, password: str,
                       language: str | None = None) -> Staff:
    """The new tenant's first admin, made by signup; once the tenant has staff, only an
    admin adds more (``create_staff``)."""
    if db.session.scalar(select(Staff.id).limit(1)) is not None:
        raise Forbidden()
    return _add_staff(actor=None, name=name, email=email, password=password, role="admin",
                      language=language)


def _add_staff(*, actor, name: str, email: str, password: str | None, role: str,
               language: str | None, access: dict[int, str] | None = None,
               tenant_id: int | None = None) -> Staff:
    _check_fields(name=name, role=role, language=language)
    email = normalize_email(email)
    problem = None if password is None else password_problem(
        password, personal=(email.split("@")[0], name))
    if problem:
        raise ValidationFailed(fields={"password": problem})
    if db.session.scalar(select(Staff.id).where(Staff.email == email)) is not None:
        raise Conflict(_("%(email)s is already a staff member here.", email=email),
                       fields={"email": _("Already a staff member.")})
    _check_access(access or {})  # bad input is reported before any plan limit
    signals.check_adding(tenant_id)
    staff = Staff(name=name.strip(), email=email, role=role, language=language,
                  password_hash=UNUSABLE_PASSWORD if password is None else hash_password(password))
    if tenant_id is not None:
        staff.tenant_id = tenant_id
    db.session.add(staff)
    db.session.flush()
    record_event(actor, "staff.created", staff, {"name": staff.name, "email": email, "role": role})
    if access:
        set_department_access(actor=actor, staff=staff, access=access)
    return staff


def _admin_count() -> int:
    return db.session.scalar(
        select(func.count()).select_from(Staff).where(Staff.role == "admin", Staff.active)
    )


def update_staff(*, actor, staff_id: int, name: str | None = None, role: str | None = None,
                 language: str | None = None, password: str | None = None,
                 active: bool | None = None, access: dict[int, str] | None = None) -> Staff:
    """Change a staff member; the last active admin can't be demoted or deactivated."""
    require_role(actor, EDITORS)
    return _change(actor=actor, staff=get_staff(staff_id), name=name, role=role,
                   language=language, password=password, active=active, access=access)


def update_profile(*, actor, name: str | None = None, language: str | None = None,
                   password: str | None = None) -> Staff:
    """Change one's own name, language or password (every staff member, for themselves)."""
    require_role(actor, EVERYONE)
    return _change(actor=actor, staff=get_staff(actor.id), name=name, language=language,
                   password=password)


def _change(*, actor, staff: Staff, name: str | None = None, role: str | None = None,
            language: str | None = None, password: str | None = None,
            active: bool | None = None, access: dict[int, str] | None = None) -> Staff:
    _check_fields(name=name, role=role, language=language)
    losing_admin = staff.role == "admin" and staff.active and (
        (role is not None and role != "admin") or active is False)
    if losing_admin and _admin_count() <= 1:
        raise Conflict(_("This is the last admin; make someone else an admin first."))
    before = {"name": staff.name, "role": staff.role, "language": staff.language,
              "active": staff.active}
    if name is not None:
        staff.name = name.strip()
    if role is not None:
        staff.role = role
    if language is not None:
        staff.language = language
    if active is not None:
        staff.active = active
    if active is False:
        end_sessions(staff.id)  # reactivating later does not revive old cookies
    if password is not None:
        problem = password_problem(password, personal=(staff.email.split("@")[0], staff.name))
        if problem:
            raise ValidationFailed(fields={"password": problem})
        staff.password_hash = hash_password(password)
        # A new password signs out every other copy of the old login; changing one's own
        # password keeps the browser it was changed in.
        ended = end_sessions(staff.id, keep=kept_session(actor, staff))
        record_event(actor, "staff.password_changed", staff, {"sessions_ended": ended})
    after = {"name": staff.name, "role": staff.role, "language": staff.language,
             "active": staff.active}
    if after != before:
        record_event(actor, "staff.updated", staff, {"before": before, "after": after})
    if access is not None:
        set_department_access(actor=actor, staff=staff, access=access)
    return staff


def delete_staff(*, actor, staff_id: int) -> None:
    """Remove a staff member; never the last admin. Someone tickets or messages refer to is
    deactivated instead (they can no longer log in; their history stays)."""
    require_role(actor, EDITORS)
    staff = get_staff(staff_id)
    if staff.role == "admin" and staff.active and _admin_count() <= 1:
        raise Conflict(_("This is the last admin; make someone else an admin first."))
    if signals.references_to(staff.id):
        if staff.active:
            staff.active = False
            end_sessions(staff.id)
            record_event(actor, "staff.deactivated", staff,
                         {"name": staff.name, "email": staff.email,
                          "reason": "referenced by tickets"})
        db.session.flush()
        return
    record_event(actor, "staff.deleted", staff, {"name": staff.name, "email": staff.email})
    db.session.delete(staff)
    db.session.flush()


def staff_count() -> int:
    """Active staff in the current tenant (what the plan's staff limit counts)."""
    return db.session.scalar(select(func.count()).select_from(Staff).where(Staff.active))


def list_staff() -> list[Staff]:
    """Every staff member by name: for forms and lookups of code that has checked its actor."""
    return db.session.scalars(select(Staff).order_by(Staff.name)).all()
