"""API: response templates (CRUD, picker search, render for a ticket). The service decides
who may do what (403 for the others)."""
from flask_babel import gettext as _
from pydantic import BaseModel, Field

from app.api.core import endpoint
from app.api.limits import Choice
from app.api.pagination import page_of
from app.errors import ValidationFailed
from app.responses import service
from app.responses.context import custom_field_keys, ticket_values
from app.responses.models import ResponseTemplate
from app.tickets.access import get_ticket
from app.tickets.constants import PRIORITIES, STATUSES


class TemplateIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    body: str = Field("", max_length=service.MAX_BODY)
    department_id: int | None = None
    set_status: Choice | None = Field(None, description=", ".join(STATUSES))
    set_priority: Choice | None = Field(None, description=", ".join(PRIORITIES))
    set_assignee_id: int | None = None


class TemplatePatch(BaseModel):
    name: str | None = Field(None, min_length=1, max_length=200)
    body: str | None = Field(None, max_length=service.MAX_BODY)
    department_id: int | None = None
    set_status: Choice | None = None
    set_priority: Choice | None = None
    set_assignee_id: int | None = None


class TemplateActions(BaseModel):
    status: str | None = None
    priority: str | None = None
    assignee_id: int | None = None


class TemplateOut(BaseModel):
    id: int
    name: str
    body: str
    department_id: int | None
    actions: TemplateActions
    problems: list[str] = Field(description="placeholders that will render empty")


class TemplateList(BaseModel):
    items: list[TemplateOut]
    next_cursor: str | None


class TemplateSearch(BaseModel):
    q: str | None = Field(None, max_length=200)
    department_id: int | None = None
    limit: int = Field(50, ge=1, le=100)


class RenderIn(BaseModel):
    # Optional in the model so that another tenant's template is a 404 before the body is
    # judged; a missing number is still a 422.
    ticket_number: int | None = Field(None, ge=1)


class RenderOut(BaseModel):
    id: int
    name: str
    html: str
    actions: TemplateActions
    missing: list[str] = Field(description="placeholders that rendered empty")


def template_json(template: ResponseTemplate, custom_keys: set[str] | None = None) -> dict:
    return {"id": template.id, "name": template.name, "body": template.body,
            "department_id": template.department_id, "actions": template.actions(),
            "problems": service.problems(template, custom_keys)}


@endpoint("/responses", "GET", summary="Search response templates (the reply-box picker)",
          tag="responses", query=TemplateSearch, response=TemplateList)
def list_templates(staff, query: TemplateSearch):
    keys = custom_field_keys()
    items = service.search_templates(staff=staff, q=query.q, department_id=query.department_id,
                                     limit=query.limit)
    # The picker shows the best ``limit`` matches; a narrower search, not a next page.
    return page_of(items, None, lambda template: template_json(template, keys))


@endpoint("/responses", "POST", summary="Create a response template", tag="responses",
          body=TemplateIn, response=TemplateOut, status=201, errors=(403, 404, 409))
def create_template(staff, data: TemplateIn):
    template = service.create_template(actor=staff, **data.model_dump())
    return template_json(template, custom_field_keys()), 201


@endpoint("/responses/<int:response_id>", "GET", summary="Get a response template",
          tag="responses", response=TemplateOut, errors=(404,))
def get_template(staff, response_id: int):
    return template_json(service.view_template(actor=staff, template_id=response_id),
                         custom_field_keys())


@endpoint("/responses/<int:response_id>", "PATCH", summary="Change a response template",
          tag="responses", body=TemplatePatch, response=TemplateOut, errors=(403, 404, 409))
def update_template(staff, response_id: int, data: TemplatePatch):
    template = service.update_template(actor=staff, template_id=response_id,
                                       **data.model_dump(exclude_unset=True))
    return template_json(template, custom_field_keys())


@endpoint("/responses/<int:response_id>", "DELETE", summary="Delete a response template",
          tag="responses", status=204, errors=(403, 404))
def delete_template(staff, response_id: int):
    service.delete_template(actor=staff, template_id=response_id)


@endpoint("/responses/<int:response_id>/render", "POST",
          summary="Render a response template for a ticket", tag="responses", body=RenderIn,
          response=RenderOut, errors=(404,))
def render_template(staff, response_id: int, data: RenderIn):
    service.view_template(actor=staff, template_id=response_id)
    if data.ticket_number is None:
        raise ValidationFailed(fields={"ticket_number": _("Enter the ticket number.")})
    ticket = get_ticket(staff, data.ticket_number)
    return service.render_template_for(staff=staff, template_id=response_id,
                                       values=ticket_values(ticket, staff))
