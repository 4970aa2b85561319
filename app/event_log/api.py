"""API: the event log (who may read it is the service's rule: 403 for the others)."""
from app.api.core import endpoint
from app.api.pagination import paginate
from app.event_log.service import events_query
from app.events.api import EventList, EventQuery, event_json
from app.events.models import Event


@endpoint("/events", "GET", summary="The event log, newest first", tag="events",
          query=EventQuery, response=EventList, errors=(403,))
def list_events(staff, query: EventQuery):
    stmt = events_query(actor=staff, actor_id=query.actor_id, action=query.action,
                        object_type=query.object_type, since=query.since, until=query.until)
    return paginate(stmt, Event.id, query, event_json)
