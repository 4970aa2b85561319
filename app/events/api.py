"""API: the event log."""
from datetime import datetime

from pydantic import BaseModel, Field

from app.api.core import endpoint
from app.api.limits import MAX_NAME
from app.api.pagination import ListQuery, paginate
from app.events.models import Event
from app.events.service import events_query


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


@endpoint("/events", "GET", summary="The event log, newest first", tag="events",
          query=EventQuery, response=EventList, roles=("admin", "manager"))
def list_events(staff, query: EventQuery):
    stmt = events_query(actor_id=query.actor_id, action=query.action,
                        object_type=query.object_type, since=query.since, until=query.until)
    return paginate(stmt, Event.id, query, event_json)
