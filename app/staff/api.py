"""API: staff members, their roles and department rights. The service decides who may do
what (403 for the others)."""
from pydantic import BaseModel, Field

from app.api.core import endpoint
from app.api.limits import MAX_ITEMS, EmailAddress
from app.api.pagination import ListQuery, paginate
from app.languages import Language
from app.staff import invitations, service
from app.staff.models import Access, Role, Staff


class DepartmentRight(BaseModel):
    id: int
    access: Access


class StaffIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    email: EmailAddress
    role: Role = "agent"
    password: str | None = Field(None, max_length=200, description=(
        "Without a password the person gets an invitation letter to choose one."))
    language: Language | None = None
    departments: list[DepartmentRight] = Field([], max_length=MAX_ITEMS)


class StaffPatch(BaseModel):
    name: str | None = Field(None, min_length=1, max_length=200)
    role: Role | None = None
    password: str | None = Field(None, max_length=200)
    language: Language | None = None
    active: bool | None = None
    departments: list[DepartmentRight] | None = Field(None, max_length=MAX_ITEMS)


class StaffOut(BaseModel):
    id: int
    name: str
    email: str
    role: Role
    language: str | None
    active: bool
    departments: list[DepartmentRight]


class StaffList(BaseModel):
    items: list[StaffOut]
    next_cursor: str | None


def staff_json(member: Staff) -> dict:
    rights = service.current_access(member.id)
    return {"id": member.id, "name": member.name, "email": member.email, "role": member.role,
            "language": member.language, "active": member.active,
            "departments": [{"id": d, "access": a} for d, a in sorted(rights.items())]}


def _rights(items: list[DepartmentRight] | None) -> dict[int, str] | None:
    return None if items is None else {item.id: item.access for item in items}


@endpoint("/staff", "GET", summary="List staff", tag="staff", query=ListQuery,
          response=StaffList)
def list_staff(staff, query: ListQuery):
    return paginate(service.read_staff(actor=staff), Staff.id, query, staff_json)


@endpoint("/staff", "POST", summary="Add a staff member", tag="staff", body=StaffIn,
          response=StaffOut, status=201, errors=(402, 403, 404, 409))
def create_staff(staff, data: StaffIn):
    if data.password is None:
        member = invitations.invite_staff(actor=staff, name=data.name, email=data.email,
                                          role=data.role, language=data.language,
                                          access=_rights(data.departments))
    else:
        member = service.create_staff(actor=staff, name=data.name, email=data.email,
                                      password=data.password, role=data.role,
                                      language=data.language, access=_rights(data.departments))
    return staff_json(member), 201


@endpoint("/staff/<int:staff_id>", "GET", summary="Get a staff member", tag="staff",
          response=StaffOut, errors=(404,))
def get_staff(staff, staff_id: int):
    return staff_json(service.view_staff(actor=staff, staff_id=staff_id))


@endpoint("/staff/<int:staff_id>", "PATCH", summary="Change a staff member", tag="staff",
          body=StaffPatch, response=StaffOut, errors=(403, 404, 409))
def update_staff(staff, staff_id: int, data: StaffPatch):
    member = service.update_staff(actor=staff, staff_id=staff_id, name=data.name,
                                  role=data.role, language=data.language,
                                  password=data.password, active=data.active,
                                  access=_rights(data.departments))
    return staff_json(member)


@endpoint("/staff/<int:staff_id>", "DELETE", summary="Remove a staff member (not the last admin)",
          tag="staff", status=204, errors=(403, 404, 409))
def delete_staff(staff, staff_id: int):
    service.delete_staff(actor=staff, staff_id=staff_id)


@endpoint("/staff/<int:staff_id>/invitation", "POST",
          summary="Send the invitation letter again (earlier links stop working)", tag="staff",
          status=204, errors=(403, 404))
def resend_invitation(staff, staff_id: int):
    invitations.resend_invitation(actor=staff, staff_id=staff_id)
