"""API: the tenant admin's ticket settings — custom field definitions, attachment rules."""

from app.api.core import endpoint
from app.tickets import fields
from app.tickets import settings as desk_settings
from app.tickets.schemas import (
    AttachmentRules,
    AttachmentRulesPatch,
    FieldIn,
    FieldList,
    FieldOut,
    FieldPatch,
)

TAG = "ticket settings"


def field_json(field) -> dict:
    return {"id": field.id, "key": field.key, "label": field.label, "kind": field.kind,
            "options": list(field.options or []), "required": field.required,
            "position": field.position, "active": field.active}


@endpoint("/custom-fields", "GET", summary="Custom ticket fields", tag=TAG, response=FieldList)
def list_fields(staff):
    return {"items": [field_json(f) for f in fields.list_fields()]}


@endpoint("/custom-fields", "POST", summary="Define a custom ticket field", tag=TAG,
          body=FieldIn, response=FieldOut, status=201, roles=("admin",), errors=(409,))
def create_field(staff, data: FieldIn):
    field = fields.create_field(actor=staff, **data.model_dump())
    return field_json(field), 201


@endpoint("/custom-fields/<int:field_id>", "GET", summary="A custom field", tag=TAG,
          response=FieldOut, errors=(404,))
def get_field(staff, field_id: int):
    return field_json(fields.get_field(field_id))


@endpoint("/custom-fields/<int:field_id>", "PATCH",
          summary="Change a custom field (label, options, required, position, active)", tag=TAG,
          body=FieldPatch, response=FieldOut, roles=("admin",), errors=(404,))
def update_field(staff, field_id: int, data: FieldPatch):
    field = fields.update_field(actor=staff, field_id=field_id,
                                changes=data.model_dump(exclude_unset=True))
    return field_json(field)


@endpoint("/custom-fields/<int:field_id>", "DELETE",
          summary="Delete a custom field (values on tickets stay)", tag=TAG, status=204,
          roles=("admin",), errors=(404,))
def delete_field(staff, field_id: int):
    fields.delete_field(actor=staff, field_id=field_id)


@endpoint("/settings/attachments", "GET", summary="Attachment rules: size, count, types",
          tag=TAG, response=AttachmentRules)
def attachment_rules(staff):
    return desk_settings.get_settings("attachments")


@endpoint("/settings/attachments", "PATCH", summary="Change the attachment rules", tag=TAG,
          body=AttachmentRulesPatch, response=AttachmentRules, roles=("admin",))
def update_attachment_rules(staff, data: AttachmentRulesPatch):
    rules = desk_settings.update_attachment_rules(actor=staff,
                                                  **data.model_dump(exclude_none=True))
    return rules
