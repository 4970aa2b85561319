"""What sends which letter: receivers of the ticket desk's and the spam area's signals.

Each only queues a job (after the commit); nothing here reads or writes the database, so
a ticket's write path pays for its letters with nothing but the enqueue.

* a new ticket (any channel) — the receipt to the requester (a request held as spam gets
  none until it is found genuine); the department's staff hear of it once it is live (not
  while it waits for the day's quota), and its assignee, if routing gave it one;
* a ticket that stopped waiting (quota) or left the spam view — what it did not get then;
* an agent's public reply — the reply letter; a resolution by staff — the resolved letter
  (a requester who marked it solved in the portal needs no letter about it);
* an assignment to someone else — a letter to the new assignee.
"""
from flask_babel import get_locale

from app.letters.jobs import queue_department_letters, queue_letter, queue_new_ticket_letters
from app.staff.models import Staff

# Channels where the requester is in front of us: the page's language is theirs.
_REQUESTER_FACING = ("widget", "portal")


def _requester_language(ticket) -> str | None:
    if ticket.channel not in _REQUESTER_FACING:
        return None
    locale = get_locale()
    return str(locale) if locale is not None else None


def _staff_letters_for_new(ticket) -> None:
    skip = ()
    if ticket.assignee_id is not None:
        queue_letter(ticket.tenant_id, "staff_assigned", ticket.id, staff_id=ticket.assignee_id)
        skip = (ticket.assignee_id,)
    queue_department_letters(ticket.tenant_id, ticket.id, skip_staff_ids=skip)


def on_created(_app, *, ticket) -> None:
    if ticket.spam:
        return
    queue_new_ticket_letters(ticket.tenant_id, ticket.id, language=_requester_language(ticket),
                             with_staff=not ticket.deferred, assignee_id=ticket.assignee_id)


def on_changed(_app, *, ticket, reason: str) -> None:
    """A ticket went live later: out of the quota's waiting list, or out of the spam view
    (which also sends ``ticket_released``, for the receipt)."""
    if reason == "released" and not ticket.spam and not ticket.deferred:
        _staff_letters_for_new(ticket)


def on_not_spam(_app, *, ticket) -> None:
    queue_letter(ticket.tenant_id, "receipt", ticket.id)


def on_replied(_app, *, ticket, message, actor) -> None:
    if not message.internal and not ticket.spam:
        queue_letter(ticket.tenant_id, "reply", ticket.id, message_id=message.id)


def on_resolved(_app, *, ticket, actor) -> None:
    if isinstance(actor, Staff) and not ticket.spam:
        queue_letter(ticket.tenant_id, "resolved", ticket.id)


def on_assigned(_app, *, ticket, assignee_id: int, actor) -> None:
    if isinstance(actor, Staff) and actor.id == assignee_id:
        return  # took it themselves
    queue_letter(ticket.tenant_id, "staff_assigned", ticket.id, staff_id=assignee_id,
                 agent_id=actor.id if isinstance(actor, Staff) else None)
