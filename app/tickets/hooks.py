"""Extension points of ticket creation and change, for routing, billing, SLA and notifications.

Imports flow one way: those areas import this module and append to the lists
(or connect to the signals); the ticket service never imports them.
"""
from collections.abc import Callable
from dataclasses import dataclass, field

from blinker import Namespace


@dataclass
class TicketDraft:
    """A ticket about to be created; ``before_ticket_created`` hooks may change it."""

    channel: str
    requester_email: str
    subject: str
    body_text: str
    requester_name: str = ""
    organization_id: int | None = None
    custom_fields: dict = field(default_factory=dict)
    department_id: int | None = None
    priority: str | None = None
    type: str | None = None
    assignee_id: int | None = None
    tags: list[str] = field(default_factory=list)
    routing_rule_id: int | None = None


# Routing appends a function that sets department, priority, type, assignee, tags and
# routing_rule_id on the draft. Called in order, before the ticket is written.
before_ticket_created: list[Callable[[TicketDraft], None]] = []

# Billing's daily quota: called with the tenant id; if any returns False the ticket is
# still stored (nothing a customer sends is lost) but with ``deferred=True``.
admission_checks: list[Callable[[int], bool]] = []

# SLA recomputes due times here. Called with the ticket and a reason: "created", "status",
# "priority", "first_response", "department", "escalated", "merged".
after_ticket_changed: list[Callable[[object, str], None]] = []

_signals = Namespace()
# sender: the new Ticket (flushed, not yet committed).
ticket_created = _signals.signal("ticket_created")
# sender: the new Message; keyword ``ticket``.
message_added = _signals.signal("message_added")


def run_after_changed(ticket, reason: str) -> None:
    for hook in after_ticket_changed:
        hook(ticket, reason)
