"""Making tickets of the requests the widget stored (``app.widget.lean``), in a job right
after their commit.

Each waiting request becomes its ticket through the ticket desk's one creation path
(``register_ticket``) with the id and number it reserved and the quota decision it got: the
requester, routing, the stop lists, SLA, the first message, the portal link with the key
the visitor already holds, the search document, the events and the receipt letter in the
visitor's language. The row is deleted in the same transaction (skipping a row another
drain holds), so each request is made a ticket once whoever runs it, and a worker that
dies in the middle leaves the row for the next drain or the periodic sweep.

A request asks for a drain once it has committed (a flag in Redis says one is coming: one
job at a time on the queue), unless it saw the flag set when it counted its rate limits and
committed soon after (``covered``): a drain, before it ends, looks again for a moment, long
enough for such a request. On a busy site a drain is nearly always coming, so its requests
save the round trip that asks.

What only the full creation can check (a department or custom field removed since the form
was cached) never loses the request: the ticket is made without what failed, and an
internal note keeps the values left out.
"""
import logging
import time
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete, select

from app.errors import NotFound, ValidationFailed
from app.extensions import db
from app.jobs import platform_job, redis_connection
from app.languages import LANGUAGES
from app.portal.links import new_ticket_link
from app.tickets.completion import GRACE, drain_waiting
from app.tickets.conversation import add_system_note
from app.tickets.creation import register_ticket
from app.tickets.sanitize import TEXT
from app.widget.models import WidgetRequest
from tenants import context

log = logging.getLogger(__name__)
DRAIN_COMING = "widget-requests:drain-queued"
BATCH = 500


def _arguments(row) -> dict:
    values = row.payload
    return dict(
        actor=None, channel="widget", subject=values.get("subject", ""),
        body=values.get("body", ""), body_format=TEXT, requester_email=values["email"],
        requester_name=values.get("name") or None, department_id=values.get("department_id"),
        custom_fields=values.get("custom"), requester_verified=row.verified,
        received_at=row.received_at, reserved=(row.ticket_id, row.number),
        admitted=row.admitted,
        companions=(new_ticket_link(row.link_key),))


def _without(arguments: dict, problems: dict) -> tuple[dict, list[str]]:
    """``arguments`` without the values ``problems`` names, and a line for each."""
    kept, custom = dict(arguments), dict(arguments.get("custom_fields") or {})
    lines = []
    for name, message in problems.items():
        if name == "department_id" and kept.get("department_id") is not None:
            lines.append(f"{_('Department')}: {kept['department_id']} — {message}")
            kept["department_id"] = None
        elif name.startswith("custom_fields."):
            key = name.split(".", 1)[1]
            lines.append(f"{key}: {custom.pop(key, '')} — {message}")
    kept["custom_fields"] = custom
    return kept, lines


def _create(row) -> None:
    arguments = _arguments(row)
    try:
        with db.session.begin_nested():
            register_ticket(**arguments)
        return
    except ValidationFailed as exc:
        kept, lines = _without(arguments, exc.fields)
    except NotFound as exc:  # the department was deleted since the form was cached
        kept, lines = _without(arguments, {"department_id": str(exc.message)})
    new = register_ticket(**kept, required_fields=False)
    add_system_note(new.ticket, "\n".join([
        _("The request came through the website widget; these values could not be kept:"),
        *lines]))


def register_request(request_id: int) -> bool:
    """Make the waiting request ``request_id`` a ticket (in its tenant) and delete it, all
    in the open transaction; False when it is not waiting here (gone, or another drain
    holds it)."""
    mine = (select(WidgetRequest.id).where(WidgetRequest.id == request_id)
            .with_for_update(skip_locked=True))
    row = db.session.execute(delete(WidgetRequest).where(WidgetRequest.id.in_(mine))
                             .returning(WidgetRequest.ticket_id, WidgetRequest.number,
                                        WidgetRequest.payload,
                                        WidgetRequest.language, WidgetRequest.verified,
                                        WidgetRequest.admitted, WidgetRequest.link_key,
                                        WidgetRequest.received_at)).first()
    if row is None:
        return False
    language = row.language if row.language in LANGUAGES else None
    if language:
        with force_locale(language):
            _create(row)
    else:
        _create(row)
    return True


@context.platform_work
def register_waiting(*, older_than: timedelta = timedelta(0), limit: int = BATCH) -> int:
    """Make tickets of up to ``limit`` requests stored longer than ``older_than`` ago
    (``drain_waiting``: oldest first, one tenant's per commit). How many it made."""
    return drain_waiting(WidgetRequest.id, WidgetRequest.received_at, register_request,
                         older_than=older_than, limit=limit)


def linger_seconds() -> float:
    """How long a drain looks again, after it found nothing more, before it ends
    (``WIDGET_DRAIN_LINGER_SECONDS``)."""
    return max(0.0, float(current_app.config.get("WIDGET_DRAIN_LINGER_SECONDS", 0)))


def covered(seen_at: float | None) -> bool:
    """Whether a request that saw the drain flag set at ``seen_at`` (``time.monotonic()``
    taken before the look) and has committed since may leave its row to that drain instead
    of asking for one.

    The flag is cleared when its drain starts, so the look came before that drain began;
    the drain ends with passes that go on for ``linger_seconds`` after it found nothing
    more, the last of them starting no earlier than the linger's end. A request committed
    within half of that after its look committed before that last pass: its row is drained.
    A slower one asks, as does every request when the linger is 0."""
    budget = linger_seconds() / 2
    return seen_at is not None and budget > 0 and time.monotonic() - seen_at < budget


def _drain_all() -> int:
    total = 0
    while done := register_waiting():
        total += done
    return total


@platform_job
def register_waiting_job() -> int:
    """Job: make tickets of everything waiting, until nothing does (requests stored
    meanwhile queue the next drain: the flag is cleared first); then, for
    ``linger_seconds``, look again every tenth of it for the requests that saw the flag set
    and left their rows to this drain (``covered``)."""
    redis_connection().delete(DRAIN_COMING)
    total = _drain_all()
    linger = linger_seconds()
    deadline = time.monotonic() + linger
    while (left := deadline - time.monotonic()) > 0:
        time.sleep(min(linger / 10, left))
        total += _drain_all()
    return total


@platform_job
def register_left_behind_job() -> int:
    """Periodic: the requests whose drain never ran or died (idempotent)."""
    return register_waiting(older_than=GRACE)
