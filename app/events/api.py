"""An event as the API shows it: the list's query, one event's JSON, a page of them.

The event log's endpoint (``app.event_log.api``) answers with these; they live with the
record, so the OpenAPI document names them as it always has (``app__events__api__…``)."""
from datetime import datetime

from pydantic import BaseModel, Field

from app.api.limits import MAX_NAME
from app.api.pagination import ListQuery
from app.events.models import Event


class EventQuery(ListQuery):
    actor_id: int | None = None
    action: str | None = Field(None, max_length=MAX_NAME)
    object_type: str | None = Field(None, max_length=MAX_NAME)
    since: datetime | None = None
    until: datetime | None = None


class EventOut(BaseModel):
    id: int
    at: datetime
    actor: dict
    action: str
    object_type: str
    object_id: str
    data: dict
    ip: str | None


class EventList(BaseModel):
    items: list[EventOut]
    next_cursor: str | None


def event_json(event: Event) -> dict:
    return {"id": event.id, "at": event.at.isoformat(), "action": event.action,
            "actor": {"type": event.actor_type, "id": event.actor_id, "name": event.actor_name},
            "object_type": event.object_type, "object_id": event.object_id,
            "data": event.data, "ip": event.ip}
