"""API: customers (requesters) and organizations. The service decides who may do what."""
from pydantic import BaseModel, Field

from app.api.core import endpoint
from app.api.limits import EmailAddress, Name
from app.api.pagination import ListQuery, paginate
from app.customers import service
from app.customers.models import Customer, Organization

MAX_DOMAINS = 50


class CustomerIn(BaseModel):
    email: EmailAddress
    name: str = Field("", max_length=200)
    organization_id: int | None = None


class CustomerPatch(BaseModel):
    email: EmailAddress | None = None
    name: str | None = Field(None, max_length=200)
    organization_id: int | None = None


class CustomerOut(BaseModel):
    id: int
    email: str
    name: str
    organization_id: int | None
    created_at: str


class CustomerList(BaseModel):
    items: list[CustomerOut]
    next_cursor: str | None


class CustomerQuery(ListQuery):
    q: str | None = Field(None, max_length=200, description="part of the e-mail or name")
    organization_id: int | None = None


class OrganizationIn(BaseModel):
    name: str = Field(max_length=200)
    domains: list[Name] = Field([], max_length=MAX_DOMAINS)


class OrganizationPatch(BaseModel):
    name: str | None = Field(None, max_length=200)
    domains: list[Name] | None = Field(None, max_length=MAX_DOMAINS)


class OrganizationOut(BaseModel):
    id: int
    name: str
    domains: list[str]
    created_at: str


class OrganizationList(BaseModel):
    items: list[OrganizationOut]
    next_cursor: str | None


def customer_json(customer: Customer) -> dict:
    return {"id": customer.id, "email": customer.email, "name": customer.name,
            "organization_id": customer.organization_id,
            "created_at": customer.created_at.isoformat()}


def organization_json(organization: Organization) -> dict:
    return {"id": organization.id, "name": organization.name,
            "domains": list(organization.domains or []),
            "created_at": organization.created_at.isoformat()}


@endpoint("/customers", "GET", summary="List customers (search by e-mail or name)",
          tag="customers", query=CustomerQuery, response=CustomerList)
def list_customers(staff, query: CustomerQuery):
    stmt = service.customers_query(actor=staff, q=query.q,
                                   organization_id=query.organization_id)
    return paginate(stmt, Customer.id, query, customer_json)


@endpoint("/customers", "POST", summary="Add a customer", tag="customers", body=CustomerIn,
          response=CustomerOut, status=201, errors=(404, 409))
def create_customer(staff, data: CustomerIn):
    customer = service.create_customer(actor=staff, email=data.email, name=data.name,
                                       organization_id=data.organization_id)
    return customer_json(customer), 201


@endpoint("/customers/<int:customer_id>", "GET",
          summary="A customer (their tickets: GET /tickets?customer_id=)", tag="customers",
          response=CustomerOut, errors=(404,))
def get_customer(staff, customer_id: int):
    return customer_json(service.view_customer(actor=staff, customer_id=customer_id))


@endpoint("/customers/<int:customer_id>", "PATCH", summary="Change a customer",
          tag="customers", body=CustomerPatch, response=CustomerOut, errors=(403, 404, 409))
def update_customer(staff, customer_id: int, data: CustomerPatch):
    customer = service.update_customer(actor=staff, customer_id=customer_id,
                                       changes=data.model_dump(exclude_unset=True))
    return customer_json(customer)


@endpoint("/organizations", "GET", summary="List organizations", tag="customers",
          query=ListQuery, response=OrganizationList)
def list_organizations(staff, query: ListQuery):
    return paginate(service.organizations_query(actor=staff), Organization.id, query,
                    organization_json)


@endpoint("/organizations", "POST",
          summary="Create an organization (domains match new customers by e-mail)",
          tag="customers", body=OrganizationIn, response=OrganizationOut, status=201,
          errors=(403, 409))
def create_organization(staff, data: OrganizationIn):
    organization = service.create_organization(actor=staff, name=data.name,
                                               domains=data.domains)
    return organization_json(organization), 201


@endpoint("/organizations/<int:organization_id>", "GET", summary="An organization",
          tag="customers", response=OrganizationOut, errors=(404,))
def get_organization(staff, organization_id: int):
    return organization_json(service.view_organization(actor=staff,
                                                       organization_id=organization_id))


@endpoint("/organizations/<int:organization_id>", "PATCH",
          summary="Rename an organization or change its domains", tag="customers",
          body=OrganizationPatch, response=OrganizationOut, errors=(403, 404, 409))
def update_organization(staff, organization_id: int, data: OrganizationPatch):
    organization = service.update_organization(actor=staff, organization_id=organization_id,
                                               name=data.name, domains=data.domains)
    return organization_json(organization)


@endpoint("/organizations/<int:organization_id>", "DELETE",
          summary="Delete an organization (customers and tickets keep existing)",
          tag="customers", status=204, errors=(403, 404))
def delete_organization(staff, organization_id: int):
    service.delete_organization(actor=staff, organization_id=organization_id)
