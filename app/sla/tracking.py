"""Due times, pauses and breach state of one ticket: pure functions over its attributes.

Works on anything with the Ticket's SLA attributes, so the rules are tested without
the database. Due times are always derived from ``created_at`` and the targets, never
nudged in place, so recomputing is idempotent:

* first response due = created + first-response target (business time);
* resolution due = created + resolution target + the business time spent paused.

While the ticket is ``pending`` (waiting for the customer) or ``on_hold`` the clock
stops: ``sla_paused_at`` marks the start, and on leaving the pause the business time
in between is added to ``sla_paused_seconds``, which moves the resolution due time.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.sla.clock import Calendar, add_business_time, as_utc, business_time_between
from app.tickets.constants import DONE_STATUSES, PAUSED_STATUSES


@dataclass(frozen=True)
class Targets:
    first_response_minutes: int
    resolution_minutes: int


def track_pause(ticket, now: datetime, calendar: Calendar) -> None:
    """Start or end a pause according to the ticket's status."""
    paused = ticket.status in PAUSED_STATUSES
    if paused and ticket.sla_paused_at is None:
        ticket.sla_paused_at = now
    elif not paused and ticket.sla_paused_at is not None:
        spent = business_time_between(ticket.sla_paused_at, now, calendar)
        ticket.sla_paused_seconds = (ticket.sla_paused_seconds or 0) + max(
            0, int(spent.total_seconds()))
        ticket.sla_paused_at = None


def due_times(ticket, targets: Targets | None,
              calendar: Calendar) -> tuple[datetime | None, datetime | None]:
    """(first response due, resolution due) for the ticket's current pause total."""
    if targets is None:
        return None, None
    created = as_utc(ticket.created_at)
    first = add_business_time(created, timedelta(minutes=targets.first_response_minutes),
                              calendar)
    resolution = add_business_time(
        created, timedelta(minutes=targets.resolution_minutes,
                           seconds=ticket.sla_paused_seconds or 0), calendar)
    return first, resolution


def is_breached(ticket, now: datetime) -> bool:
    """Whether a target was missed, or is missed by ``now`` while still open.

    A paused ticket's resolution clock stands still at ``sla_paused_at``."""
    now = as_utc(now)
    done = ticket.status in DONE_STATUSES
    if ticket.first_response_due_at is not None:
        answered = ticket.first_response_at or (ticket.resolved_at if done else None)
        if as_utc(answered or now) > as_utc(ticket.first_response_due_at):
            return True
    if ticket.resolution_due_at is not None:
        if ticket.resolved_at is not None and done:
            finished = ticket.resolved_at
        elif ticket.sla_paused_at is not None:
            finished = ticket.sla_paused_at
        else:
            finished = now
        if as_utc(finished) > as_utc(ticket.resolution_due_at):
            return True
    return False


def apply_sla(ticket, *, targets: Targets | None, calendar: Calendar, now: datetime) -> bool:
    """Bring the ticket's pause, due times and breach flag up to date.

    Returns True when this call turned the ticket from on-time to breached."""
    now = as_utc(now)
    track_pause(ticket, now, calendar)
    ticket.first_response_due_at, ticket.resolution_due_at = due_times(ticket, targets,
                                                                       calendar)
    was = bool(ticket.sla_breached)
    ticket.sla_breached = is_breached(ticket, now)
    return ticket.sla_breached and not was
