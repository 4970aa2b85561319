"""Request and response models of the ticket API (they also feed the OpenAPI document)."""
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from app.api.limits import (
    MAX_ATTACHMENTS,
    MAX_EMAIL,
    MAX_FIELDS,
    MAX_ITEMS,
    MAX_MIME,
    MAX_NAME,
    MAX_TYPES,
    EmailAddress,
    FieldKey,
    FieldValue,
    Name,
)
from app.api.pagination import ListQuery
from app.tickets.constants import FieldKind, MessageAuthor, Priority, Status, Type

Tags = list[Name]
CustomValues = dict[FieldKey, FieldValue]

BodyFormat = Literal["text", "html"]

BODY = ("The message. Plain text unless body_format is html: it is stored as typed, shown "
        "escaped (\"a<b\" stays \"a<b\"), with its line breaks and its http(s) links.")
BODY_FORMAT = ("text (default): body is plain text, escaped once and kept whole. html: body "
               "is HTML (from an HTML editor or an e-mail), sanitized — scripts, event "
               "handlers and unsafe links are removed. Either way the message's body_html "
               "is safe to show.")


class Requester(BaseModel):
    email: EmailAddress
    name: str | None = Field(None, max_length=200)


class TicketIn(BaseModel):
    subject: str = Field(max_length=500)
    body: str = Field("", max_length=200_000, description=BODY)
    body_format: BodyFormat = Field("text", description=BODY_FORMAT)
    requester: Requester
    department_id: int | None = None
    type: Type | None = None
    priority: Priority | None = None
    status: Status | None = None
    assignee_id: int | None = None
    tags: Tags | None = Field(None, max_length=MAX_ITEMS)
    custom_fields: CustomValues | None = Field(None, max_length=MAX_FIELDS)
    attachment_ids: list[int] | None = Field(None, max_length=MAX_ATTACHMENTS)


class TicketPatch(BaseModel):
    subject: str | None = Field(None, max_length=500)
    status: Status | None = None
    priority: Priority | None = None
    type: Type | None = None
    department_id: int | None = None
    assignee_id: int | None = None
    tags: Tags | None = Field(None, max_length=MAX_ITEMS)
    custom_fields: CustomValues | None = Field(None, max_length=MAX_FIELDS)


class TicketListQuery(ListQuery):
    status: str | None = Field(None, max_length=MAX_NAME,
                               description="one or several, comma-separated")
    priority: str | None = Field(None, max_length=MAX_NAME)
    type: str | None = Field(None, max_length=MAX_NAME)
    department_id: int | None = None
    assignee_id: int | None = None
    unassigned: bool = False
    tag: str | None = Field(None, max_length=MAX_NAME)
    requester_email: str | None = Field(None, max_length=MAX_EMAIL)
    customer_id: int | None = None
    organization_id: int | None = None
    q: str | None = Field(None, max_length=500, description="full-text search (archive too)")
    deferred: bool = Field(False, description="true: only tickets deferred by the daily quota")
    deleted: bool = Field(False, description="true: the trash")
    archived: bool = Field(False, description="true: the archive")
    spam: bool = Field(False, description="true: the spam view (held by a stop list)")


# Fields the handler needs are checked after the ticket is found, so a ticket that isn't
# there (another tenant's) is a 404 whatever the body says.
class MessageIn(BaseModel):
    body: str = Field("", max_length=200_000, description="required. " + BODY)
    body_format: BodyFormat = Field("text", description=BODY_FORMAT)
    internal: bool = False
    seen_version: int | None = Field(
        None, description="the ticket's version when the writer opened it; a public reply "
        "is held with 409 collision if someone replied or changed the status since")
    force: bool = Field(False, description="send despite a collision")
    status: Status | None = None
    attachment_ids: list[int] = Field([], max_length=MAX_ATTACHMENTS)


class MessageAttachmentOut(BaseModel):
    id: int
    filename: str
    content_type: str
    size: int
    url: str


class Author(BaseModel):
    kind: MessageAuthor
    name: str


class MessageOut(BaseModel):
    id: int
    author: Author
    body_html: str = Field(description="the message as safe HTML (typed text escaped, "
                           "HTML sanitized)")
    internal: bool
    created_at: str
    attachments: list[MessageAttachmentOut]


class RequesterOut(BaseModel):
    email: str | None
    name: str | None


class SlaOut(BaseModel):
    first_response_due_at: str | None
    resolution_due_at: str | None
    breached: bool


class TicketOut(BaseModel):
    number: int
    subject: str
    status: Status
    type: Type | None
    priority: Priority
    channel: str
    department_id: int | None
    assignee_id: int | None
    requester: RequesterOut
    tags: list[str]
    deferred: bool
    spam: bool = Field(description="held by a stop list: out of the daily views until "
                       "POST /tickets/{number}/not-spam")
    created_at: str
    first_response_at: str | None
    resolved_at: str | None
    closed_at: str | None
    received_at: str
    updated_at: str
    organization_id: int | None
    customer_id: int
    custom_fields: dict[str, Any]
    escalation_level: int
    version: int
    requester_verified: bool = Field(description="the website vouched for the requester's "
                                     "address (the widget's identity verification)")
    deleted: bool
    archived: bool
    merged_into: int | None
    sla: SlaOut
    messages: list[MessageOut] | None = None
    links: list[int] | None = None


class TicketList(BaseModel):
    items: list[TicketOut]
    next_cursor: str | None


class MessageCreated(BaseModel):
    message: MessageOut
    ticket: TicketOut


class AssignIn(BaseModel):
    assignee_id: int | None = Field(None, description="required; null unassigns")
    comment: str | None = Field(None, max_length=5000)


class TransferIn(BaseModel):
    department_id: int | None = None
    assignee_id: int | None = None
    comment: str = Field("", max_length=5000)


class EscalateIn(BaseModel):
    comment: str = Field("", max_length=5000)
    department_id: int | None = None
    assignee_id: int | None = None


class MergeIn(BaseModel):
    into: int | None = Field(None, description="required: the number of the surviving ticket")


class LinkIn(BaseModel):
    number: int | None = Field(None, description="required: the number of the related ticket")


class TicketEventOut(BaseModel):
    id: int
    at: str
    actor: dict[str, Any]
    action: str
    data: dict[str, Any]


class TicketEventList(BaseModel):
    items: list[TicketEventOut]


class FieldIn(BaseModel):
    key: str = Field(max_length=64)
    label: str = Field(max_length=200)
    kind: FieldKind
    options: list[Name] = Field([], max_length=MAX_ITEMS)
    required: bool = False
    position: int = 0


class FieldPatch(BaseModel):
    label: str | None = Field(None, max_length=200)
    options: list[Name] | None = Field(None, max_length=MAX_ITEMS)
    required: bool | None = None
    position: int | None = None
    active: bool | None = None


class FieldOut(BaseModel):
    id: int
    key: str
    label: str
    kind: FieldKind
    options: list[str]
    required: bool
    position: int
    active: bool


class FieldList(BaseModel):
    items: list[FieldOut]


class AttachmentRules(BaseModel):
    max_file_bytes: int
    max_files: int
    allowed_types: list[str]


class AttachmentRulesPatch(BaseModel):
    max_file_bytes: int | None = Field(None, ge=1, le=100 * 1024 * 1024)
    max_files: int | None = Field(None, ge=1, le=50)
    allowed_types: list[Annotated[str, Field(max_length=MAX_MIME)]] | None = Field(
        None, max_length=MAX_TYPES)
