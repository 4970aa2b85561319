"""What the ticket desk announces, for routing, billing, SLA and notifications.

The desk never imports the areas above it: they connect receivers here in their ``init_app``
with ``sender=app``, and the desk sends with the current app as sender. Billing sits below the
desk, so the desk's own ``wiring`` connects billing's gate to ``ticket_admitting``. So each
app built by ``create_app`` has its own receivers, connected once, and two apps in one process
neither share nor double them. Receivers are called as ``receiver(app, **keywords)``.

Blinker calls the receivers of one signal in no set order, so each signal is one stage whose
receivers must not depend on one another. The order between stages is what matters, and
``create_ticket`` fixes it by sending them one after the other:

1. ``ticket_drafted`` (``draft``): receivers may change the draft — routing sets department,
   priority, type, assignee and tags; the stop lists (app/spam) set ``spam``. It comes first
   so that routed values are validated like typed ones, and so that the quota is only taken
   for a ticket that will be written (a spam ticket takes none).
2. ``ticket_admitting`` (``tenant_id``): each receiver returns whether the ticket may go
   live now (billing: suspension and the daily quota). If any returns False the ticket is
   still stored (nothing a customer sends is lost) but ``deferred``. Every receiver is
   asked; one may raise to refuse the ticket outright, and the exception propagates.
3. ``ticket_changed`` (``ticket``, ``reason``): also sent on every later change SLA cares
   about; reasons: "created", "status", "priority", "first_response", "department",
   "escalated", "merged", "released". SLA recomputes the due times.
4. ``ticket_created`` (``ticket``): the ticket, its first message and its event are flushed
   (not committed); listeners that reach outside the process wait for the commit.

Later in a ticket's life, each after its change and event are flushed (not committed):

* ``ticket_replied`` (``ticket``, ``message``, ``actor``): a staff member's public reply.
* ``ticket_assigned`` (``ticket``, ``assignee_id``, ``actor``): a new assignee (assignment,
  transfer or escalation; not sent when the ticket is left with nobody).
* ``ticket_resolved`` (``ticket``, ``actor``): the status became ``resolved``; ``actor`` is
  a Staff, a customer's dict (the portal) or None.
"""
from dataclasses import dataclass, field

from blinker import Namespace
from flask import current_app

_signals = Namespace()
ticket_drafted = _signals.signal("ticket_drafted")
ticket_admitting = _signals.signal("ticket_admitting")
ticket_changed = _signals.signal("ticket_changed")
ticket_created = _signals.signal("ticket_created")
ticket_replied = _signals.signal("ticket_replied")
ticket_assigned = _signals.signal("ticket_assigned")
ticket_resolved = _signals.signal("ticket_resolved")


@dataclass
class TicketDraft:
    """A ticket about to be created; ``ticket_drafted`` receivers may change it."""

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
    spam: bool = False  # stored, but held out of the daily views


def draft_ticket(draft: TicketDraft) -> None:
    ticket_drafted.send(current_app._get_current_object(), draft=draft)


def admitted(tenant_id: int) -> bool:
    replies = ticket_admitting.send(current_app._get_current_object(), tenant_id=tenant_id)
    return all(value for _receiver, value in replies)


def changed(ticket, reason: str) -> None:
    ticket_changed.send(current_app._get_current_object(), ticket=ticket, reason=reason)


def created(ticket) -> None:
    ticket_created.send(current_app._get_current_object(), ticket=ticket)


def replied(ticket, message, actor) -> None:
    ticket_replied.send(current_app._get_current_object(), ticket=ticket, message=message,
                        actor=actor)


def assigned(ticket, assignee_id: int, actor) -> None:
    ticket_assigned.send(current_app._get_current_object(), ticket=ticket,
                         assignee_id=assignee_id, actor=actor)


def resolved(ticket, actor) -> None:
    ticket_resolved.send(current_app._get_current_object(), ticket=ticket, actor=actor)
