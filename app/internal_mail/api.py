"""API: internal mail between staff. Without the add-on every call is a 402 ``plan_limit``;
a conversation the caller does not take part in is a 404."""
from datetime import datetime

from pydantic import BaseModel, Field

from app.api.core import endpoint
from app.api.pagination import ListQuery, cursor_of, page_of
from app.internal_mail import inbox, service
from app.internal_mail.models import InternalMessage

StaffId = int
Number = int


class ConversationIn(BaseModel):
    subject: str = Field(max_length=service.MAX_SUBJECT)
    body: str = Field(max_length=service.MAX_BODY, description="plain text, as typed")
    participants: list[StaffId] = Field(max_length=service.MAX_PARTICIPANTS,
                                        description="staff ids of the colleagues")
    tickets: list[Number] = Field([], max_length=service.MAX_TICKETS,
                                  description="numbers of tickets it is about")


class ConversationMessageIn(BaseModel):
    # Optional in the model so that a conversation the caller can't see is a 404 before
    # the body is judged; a missing body is still a 422.
    body: str | None = Field(None, max_length=service.MAX_BODY,
                             description="plain text, as typed")
    tickets: list[Number] = Field([], max_length=service.MAX_TICKETS)


class ConversationAuthor(BaseModel):
    id: int
    name: str


class ConversationMessageOut(BaseModel):
    id: int
    author: ConversationAuthor
    body_html: str
    created_at: datetime


class ConversationOut(BaseModel):
    id: int
    subject: str
    participants: list[int]
    tickets: list[int]
    unread: int
    last_message_at: datetime
    messages: list[ConversationMessageOut] = Field(
        description="in the conversation's own address only; lists leave it empty")


class ConversationList(BaseModel):
    items: list[ConversationOut]
    next_cursor: str | None


def _message_json(message: InternalMessage, authors: dict) -> dict:
    author = authors.get(message.author_id)
    return {"id": message.id,
            "author": {"id": message.author_id, "name": author.name if author else ""},
            "body_html": message.body_html, "created_at": message.created_at.isoformat()}


def _summary_json(summary: inbox.Summary) -> dict:
    return {"id": summary.id, "subject": summary.subject,
            "participants": summary.participants, "tickets": summary.tickets,
            "unread": summary.unread, "last_message_at": summary.last_message_at.isoformat(),
            "messages": []}


def thread_json(thread: service.Thread) -> dict:
    conversation = thread.conversation
    return {"id": conversation.id, "subject": conversation.subject,
            "participants": [p.id for p in thread.participants],
            "tickets": [t.number for t in thread.tickets], "unread": thread.unread,
            "last_message_at": conversation.last_message_at.isoformat(),
            "messages": [_message_json(m, thread.authors) for m in thread.messages]}


@endpoint("/internal/conversations", "GET", summary="List my internal conversations",
          tag="internal mail", query=ListQuery, response=ConversationList, errors=(402,))
def list_conversations(staff, query: ListQuery):
    cursor = cursor_of(query)
    page, more = inbox.conversations_of(actor=staff, before=cursor, limit=query.limit)
    return page_of(page, more, _summary_json)


@endpoint("/internal/conversations", "POST", summary="Start an internal conversation",
          tag="internal mail", body=ConversationIn, response=ConversationOut, status=201,
          errors=(402, 404))
def start_conversation(staff, data: ConversationIn):
    conversation = service.start_conversation(
        actor=staff, subject=data.subject, body=data.body,
        participant_ids=data.participants,
        ticket_numbers=data.tickets)
    return thread_json(service.read_conversation(actor=staff,
                                                 conversation_id=conversation.id)), 201


@endpoint("/internal/conversations/<int:conversation_id>", "GET",
          summary="Read an internal conversation (marks it read)", tag="internal mail",
          response=ConversationOut, errors=(402, 404))
def get_conversation(staff, conversation_id: int):
    return thread_json(service.read_conversation(actor=staff, conversation_id=conversation_id))


@endpoint("/internal/conversations/<int:conversation_id>/messages", "POST",
          summary="Write in an internal conversation", tag="internal mail",
          body=ConversationMessageIn,
          response=ConversationMessageOut, status=201, errors=(402, 404))
def post_message(staff, conversation_id: int, data: ConversationMessageIn):
    message = service.post_message(actor=staff, conversation_id=conversation_id,
                                   body=data.body, ticket_numbers=data.tickets)
    return _message_json(message, {staff.id: staff}), 201
