"""record_event: the one way every change reaches the event log."""
import json

from flask import has_request_context, request
from sqlalchemy import event as sa_event
from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from app.db_types import utcnow
from app.events.models import Event
from app.extensions import db
from tenants import context


def _describe(actor) -> tuple[str, int | None, str]:
    if actor is None:
        return "system", None, ""
    if isinstance(actor, dict):  # e.g. a customer or an anonymous caller
        return actor.get("type", "anonymous"), actor.get("id"), actor.get("name", "")
    return "staff", actor.id, actor.name


def _object_ref(obj) -> tuple[str, str]:
    if obj is None:
        return "", ""
    if isinstance(obj, tuple):
        return obj[0], str(obj[1])
    kind = getattr(obj, "__event_type__", None) or obj.__tablename__.removesuffix("s")
    return kind, str(getattr(obj, "id", ""))


def record_event(actor, action: str, obj=None, data: dict | None = None, *,
                 tenant_id: int | None = None) -> Event:
    """Append one event: who (a Staff, a dict for customers/anonymous, None for the system),
    what (``action`` like ``department.created``), on which object (a model or
    ``(type, id)``), with before/after details in ``data``. Added to the session, not
    flushed: it lands with the change it describes, at the next flush, together with the
    other events of the unit of work (one statement for all of them)."""
    actor_type, actor_id, actor_name = _describe(actor)
    if obj is not None and not isinstance(obj, tuple) and getattr(obj, "id", 0) is None:
        db.session.flush()  # a new object gets its id, which the event names
    object_type, object_id = _object_ref(obj)
    event = Event(
        tenant_id=tenant_id or context.current_tenant_id(),
        actor_type=actor_type, actor_id=actor_id, actor_name=actor_name,
        action=action, object_type=object_type, object_id=object_id,
        data=data or {},
        ip=request.remote_addr if has_request_context() else None,
    )
    db.session.add(event)
    return event


_COLUMNS = tuple(column.key for column in Event.__table__.columns if column.key != "id")
_ARRAYS = {"at": "timestamptz", "actor_type": "text", "actor_id": "bigint", "actor_name": "text",
           "action": "text", "object_type": "text", "object_id": "text", "data": "text",
           "ip": "text", "tenant_id": "bigint"}
assert set(_ARRAYS) == set(_COLUMNS), "every column of events has its array type here"
# The rows as one array per column, unnested into one INSERT (PostgreSQL).
_UNNEST = text(
    f"INSERT INTO events ({', '.join(_COLUMNS)}) SELECT "
    + ", ".join("CAST(data AS jsonb)" if key == "data" else key for key in _COLUMNS)
    + " FROM unnest(" + ", ".join(f"CAST(:{key} AS {_ARRAYS[key]}[])" for key in _COLUMNS)
    + f") AS given({', '.join(_COLUMNS)})")


@sa_event.listens_for(Session, "before_flush")
def _append_only(session, flush_context, instances):
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, Event) and (obj in session.deleted or session.is_modified(obj)):
            raise RuntimeError("the event log is append-only")
    _write_new_events(session)


def _write_new_events(session) -> None:
    """The flush's new events in one Core statement, then out of the session: an
    event is written once and never read back by the code that records it, so the ORM's
    bookkeeping for it (identity, attribute history, the flush plan) is all cost. A
    savepoint or a rollback still takes them back, as they are written inside the flush
    that the transaction's own rules order."""
    events = [obj for obj in session.new if isinstance(obj, Event)]
    if not events:
        return
    now = utcnow()
    rows = []
    for obj in events:
        row = {key: getattr(obj, key) for key in _COLUMNS}
        if row["at"] is None:
            row["at"] = now
        rows.append(row)
        session.expunge(obj)
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # One statement whatever the number of rows, compiled once: a multi-row VALUES
        # statement (``.values(rows)``) is compiled anew for each flush, which cost more
        # than the insert; executemany would send one INSERT per row.
        connection.execute(_UNNEST, {key: [row[key] for row in rows] for key in _COLUMNS}
                           | {"data": [json.dumps(row["data"]) for row in rows]})
        return
    connection.execute(insert(Event.__table__).values(rows))
