"""The second half of a ticket's creation (see ``app.tickets.creation``): the search
document, the events and ``ticket_created`` (letters, the spam note).

A ticket registered with ``complete_later`` carries a pending mark (``ticket_completions``,
written in the ticket's own statement). After the request commits it asks for a drain: one
``complete_pending_job`` on the queue at a time (a flag in Redis says one is coming), which
completes every waiting ticket, oldest first, one tenant's tickets per commit — a burst of
requests costs the worker one job, not one each; the flag is cleared as a drain starts, so
requests arriving meanwhile queue the next one, which another worker may run beside it.
``complete_ticket`` deletes the mark in the transaction that completes (skipping a mark
another run holds), so each ticket is completed once whoever runs it, and a worker
that dies in the middle leaves the mark for the next drain or the periodic sweep
(``complete_left_behind_job``, every minute, for marks older than ``GRACE``).
"""
import logging
from collections import defaultdict
from contextlib import nullcontext
from datetime import timedelta

from flask_babel import force_locale
from redis.exceptions import RedisError
from sqlalchemy import delete, select

from app import unit_of_work
from app.customers.registration import record_registered
from app.db_types import utcnow
from app.events.service import record_event
from app.extensions import db
from app.jobs import platform_job, queue, redis_connection
from app.jobs.wire import round_trip
from app.languages import LANGUAGES
from app.tickets import search, signals
from app.tickets.models import Ticket, TicketCompletion
from tenants import context

log = logging.getLogger(__name__)
DRAIN_COMING = "ticket-completions:drain-queued"
DRAIN_FLAG_SECONDS = 60  # a lost drain job stops holding the next one back after this
BATCH = 500
GRACE = timedelta(seconds=30)  # a drain runs within a second; older marks lost theirs


def actor_for_event(actor, customer):
    if actor is not None:
        return actor
    return {"type": "customer", "id": customer.id, "name": customer.display_name}


def announce(ticket: Ticket, *, actor, attachments: int) -> None:
    """The event and ``ticket_created`` of a new ticket."""
    customer = ticket.customer
    record_event(actor_for_event(actor, customer), "ticket.created", ticket, {
        "number": ticket.number, "channel": ticket.channel, "subject": ticket.subject,
        "requester": customer.email, "department_id": ticket.department_id,
        "assignee_id": ticket.assignee_id, "priority": ticket.priority, "type": ticket.type,
        "deferred": ticket.deferred, "routing_rule_id": ticket.routing_rule_id,
        "attachments": attachments})
    signals.created(ticket)


def complete_ticket(ticket_id: int) -> bool:
    """Complete a ticket registered with ``complete_later`` (in its tenant): the search
    document, the requester's registration event if it was new, ``ticket.created`` and
    ``ticket_created`` (letters in the requester's language). The mark is deleted first,
    unless another run holds it (that one completes it: drains on several workers pass each
    other by), and all of it commits together or not at all — a run that fails leaves the
    mark. False when nothing was pending here."""
    mine = (select(TicketCompletion.ticket_id).where(TicketCompletion.ticket_id == ticket_id)
            .with_for_update(skip_locked=True))
    data = db.session.scalar(delete(TicketCompletion).where(
        TicketCompletion.ticket_id.in_(mine)).returning(TicketCompletion.data))
    if data is None:
        return False
    ticket = db.session.get(Ticket, ticket_id)
    if ticket is None:  # gone with its mark (ON DELETE CASCADE): nothing to do
        return False
    search.reindex(ticket)
    if data.get("customer_registered"):
        record_registered(ticket.customer)
    language = data.get("language")
    with force_locale(language) if language in LANGUAGES else nullcontext():
        announce(ticket, actor=None, attachments=int(data.get("attachments") or 0))
    return True


def ask_for_drain(flag: str, job) -> None:
    """Make sure a drain ``job`` is on its way: one Redis round trip, the job only when the
    ``flag`` says none is coming (the job clears the flag as it starts). Redis out of reach
    leaves the work to the periodic sweep."""
    try:
        [set_now] = round_trip(("SET", flag, 1, "NX", "EX", DRAIN_FLAG_SECONDS))
        if set_now:
            queue("default").enqueue(job)
    except RedisError:  # the sweep does it within a minute
        log.warning("no drain queued (%s)", flag, exc_info=True)


def request_completion() -> None:
    """After the commit of a request that registered a ticket with ``complete_later``: make
    sure a drain is on its way (one Redis round trip; the job only when none is)."""
    unit_of_work.after_commit(lambda: ask_for_drain(DRAIN_COMING, complete_pending_job))


def drain_waiting(key, since, handle, *, older_than: timedelta, limit: int) -> int:
    """Hand up to ``limit`` waiting rows (``key``: their id column; ``since``: the column
    their wait counts from) older than ``older_than`` to ``handle(id)``, oldest first, in
    their tenants, one tenant's per commit (a tenant's failure is logged and left for the
    sweep). How many ``handle`` said it did. Platform work: the caller is marked so."""
    before = utcnow() - older_than
    with context.platform_scope():  # PLATFORM-WIDE: the waiting rows of every tenant
        rows = db.session.execute(
            select(key.table.c.tenant_id, key).where(since <= before)
            .order_by(since).limit(limit)).all()
    by_tenant = defaultdict(list)
    for tenant_id, row_id in rows:
        by_tenant[tenant_id].append(row_id)
    return sum(unit_of_work.for_each_tenant(
        list(by_tenant), lambda tenant_id: sum(map(handle, by_tenant[tenant_id]))))


@context.platform_work
def complete_waiting(*, older_than: timedelta = timedelta(0), limit: int = BATCH) -> int:
    """Complete up to ``limit`` waiting tickets registered longer than ``older_than`` ago
    (``drain_waiting``). How many it completed."""
    return drain_waiting(TicketCompletion.ticket_id, TicketCompletion.registered_at,
                         complete_ticket, older_than=older_than, limit=limit)


@platform_job
def complete_pending_job() -> int:
    """Job: complete everything waiting, until nothing does (requests that commit meanwhile
    queue the next drain: the flag is cleared first)."""
    redis_connection().delete(DRAIN_COMING)
    total = 0
    while done := complete_waiting():
        total += done
    return total


@platform_job
def complete_left_behind_job() -> int:
    """Periodic: complete the tickets whose drain never ran or died (idempotent)."""
    return complete_waiting(older_than=GRACE)
