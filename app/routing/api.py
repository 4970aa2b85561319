"""API: routing rules (ordered list, CRUD, reorder, enable/disable, a dry run)."""
from pydantic import BaseModel, Field

from app.api.core import endpoint
from app.api.limits import (
    MAX_BODY,
    MAX_FIELDS,
    MAX_ITEMS,
    MAX_SUBJECT,
    Choice,
    Email,
    FieldKey,
    FieldValue,
    Name,
)
from app.api.pagination import whole_list
from app.routing import service
from app.routing.models import RoutingRule
from app.tickets.signals import TicketDraft

# The service checks the rights; naming them here refuses early and lists the 403.
EDITORS = service.EDITORS


class Conditions(BaseModel):
    channels: list[Choice] = Field(default_factory=list, max_length=MAX_ITEMS,
                                   description="any of these channels")
    senders: list[Email] = Field(default_factory=list, max_length=MAX_ITEMS,
                                 description="addresses, or domains (example.com / @example.com)")
    words: list[Name] = Field(default_factory=list, max_length=MAX_ITEMS,
                              description="any of these words or phrases")
    words_in: Choice = Field("any", description="any, subject or body")
    organization_ids: list[int] = Field(default_factory=list, max_length=MAX_ITEMS)
    custom_fields: dict[FieldKey, FieldValue] = Field(default_factory=dict,
                                                     max_length=MAX_FIELDS)


class RuleActions(BaseModel):
    department_id: int | None = None
    assignee_id: int | None = None
    priority: Choice | None = None
    type: Choice | None = None
    tags: list[Name] = Field(default_factory=list, max_length=MAX_ITEMS,
                             description="added to the ticket's tags")


class RuleIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    enabled: bool = True
    conditions: Conditions = Field(default_factory=Conditions)
    actions: RuleActions


class RulePatch(BaseModel):
    name: str | None = Field(None, min_length=1, max_length=200)
    enabled: bool | None = None
    conditions: Conditions | None = None
    actions: RuleActions | None = None


class RuleOut(BaseModel):
    id: int
    name: str
    position: int
    enabled: bool
    conditions: dict
    actions: RuleActions


class RuleList(BaseModel):
    items: list[RuleOut]
    next_cursor: str | None


class ReorderIn(BaseModel):
    ids: list[int] = Field(max_length=service.MAX_RULES,
                           description="every rule id, in the new firing order")


class DryRunIn(BaseModel):
    channel: Choice = "email"
    requester_email: Email = ""
    subject: str = Field("", max_length=MAX_SUBJECT)
    body: str = Field("", max_length=MAX_BODY)
    organization_id: int | None = None
    custom_fields: dict[FieldKey, FieldValue] = Field(default_factory=dict, max_length=MAX_FIELDS)


class DryRunOut(BaseModel):
    rule_id: int | None
    rule_name: str | None
    result: RuleActions


def rule_json(rule: RoutingRule) -> dict:
    state = service.rule_state(rule)
    return {"id": rule.id, "name": rule.name, "position": rule.position,
            "enabled": rule.enabled, "conditions": state["conditions"],
            "actions": state["actions"]}


@endpoint("/routing/rules", "GET", summary="Routing rules in firing order", tag="routing",
          response=RuleList)
def list_rules(staff):
    return whole_list(service.list_rules(actor=staff), rule_json)


@endpoint("/routing/rules", "POST", summary="Add a routing rule (at the end of the list)",
          tag="routing", body=RuleIn, response=RuleOut, status=201, roles=EDITORS,
          errors=(404,))
def create_rule(staff, data: RuleIn):
    rule = service.create_rule(actor=staff, name=data.name, enabled=data.enabled,
                               conditions=data.conditions.model_dump(),
                               actions=data.actions.model_dump())
    return rule_json(rule), 201


@endpoint("/routing/rules/<int:rule_id>", "GET", summary="Get a routing rule", tag="routing",
          response=RuleOut, errors=(404,))
def get_rule(staff, rule_id: int):
    return rule_json(service.view_rule(actor=staff, rule_id=rule_id))


@endpoint("/routing/rules/<int:rule_id>", "PATCH",
          summary="Change, enable or disable a routing rule", tag="routing", body=RulePatch,
          response=RuleOut, roles=EDITORS, errors=(404,))
def update_rule(staff, rule_id: int, data: RulePatch):
    rule = service.update_rule(
        actor=staff, rule_id=rule_id, name=data.name, enabled=data.enabled,
        conditions=data.conditions.model_dump() if data.conditions else None,
        actions=data.actions.model_dump() if data.actions else None)
    return rule_json(rule)


@endpoint("/routing/rules/<int:rule_id>", "DELETE", summary="Delete a routing rule",
          tag="routing", status=204, roles=EDITORS, errors=(404,))
def delete_rule(staff, rule_id: int):
    service.delete_rule(actor=staff, rule_id=rule_id)


@endpoint("/routing/rules/reorder", "POST", summary="Set the firing order of the rules",
          tag="routing", body=ReorderIn, response=RuleList, roles=EDITORS)
def reorder_rules(staff, data: ReorderIn):
    rules = service.reorder_rules(actor=staff, rule_ids=data.ids)
    return whole_list(rules, rule_json)


@endpoint("/routing/test", "POST", summary="Which rule would route this request (dry run)",
          tag="routing", body=DryRunIn, response=DryRunOut)
def dry_run(staff, data: DryRunIn):
    draft = TicketDraft(channel=data.channel, requester_email=data.requester_email,
                        subject=data.subject, body_text=data.body,
                        organization_id=data.organization_id,
                        custom_fields=dict(data.custom_fields))
    rule = service.dry_run(actor=staff, draft=draft)
    return {"rule_id": rule.id if rule else None, "rule_name": rule.name if rule else None,
            "result": {"department_id": draft.department_id, "assignee_id": draft.assignee_id,
                       "priority": draft.priority, "type": draft.type, "tags": draft.tags}}
