"""API: departments. The service decides who may do what (403 for the others)."""
from pydantic import BaseModel, Field

from app.api.core import endpoint
from app.api.pagination import ListQuery, paginate
from app.departments import service
from app.departments.models import Department


class DepartmentIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    description: str = Field("", max_length=2000)


class DepartmentPatch(BaseModel):
    name: str | None = Field(None, min_length=1, max_length=100)
    description: str | None = Field(None, max_length=2000)


class DepartmentOut(BaseModel):
    id: int
    name: str
    description: str


class DepartmentList(BaseModel):
    items: list[DepartmentOut]
    next_cursor: str | None


def department_json(department: Department) -> dict:
    return {"id": department.id, "name": department.name, "description": department.description}


@endpoint("/departments", "GET", summary="List departments", tag="departments",
          query=ListQuery, response=DepartmentList)
def list_departments(staff, query: ListQuery):
    return paginate(service.read_departments(actor=staff), Department.id, query,
                    department_json)


@endpoint("/departments", "POST", summary="Create a department", tag="departments",
          body=DepartmentIn, response=DepartmentOut, status=201, errors=(403, 409))
def create_department(staff, data: DepartmentIn):
    department = service.create_department(actor=staff, name=data.name,
                                           description=data.description)
    return department_json(department), 201


@endpoint("/departments/<int:department_id>", "GET", summary="Get a department",
          tag="departments", response=DepartmentOut, errors=(404,))
def get_department(staff, department_id: int):
    return department_json(service.view_department(actor=staff, department_id=department_id))


@endpoint("/departments/<int:department_id>", "PATCH", summary="Rename or describe a department",
          tag="departments", body=DepartmentPatch, response=DepartmentOut,
          errors=(403, 404, 409))
def update_department(staff, department_id: int, data: DepartmentPatch):
    department = service.update_department(actor=staff, department_id=department_id,
                                           name=data.name, description=data.description)
    return department_json(department)


@endpoint("/departments/<int:department_id>", "DELETE",
          summary="Delete a department (refused while tickets use it)", tag="departments",
          status=204, errors=(403, 404, 409))
def delete_department(staff, department_id: int):
    service.delete_department(actor=staff, department_id=department_id)
