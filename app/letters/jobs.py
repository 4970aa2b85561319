"""The jobs that write ticket letters, on the ``notifications`` queue.

They are enqueued after the request's commit (``app.jobs.enqueue``), take ids, and compose
the letter when they run, in the tenant's context: the request pays for none of it, and a
letter never describes a change that was rolled back. A failed send raises, so RQ retries it
later with growing pauses (``RETRY``); the ticket was committed long before and never waits
for mail. Letters to a department's staff fan out: one job finds the recipients and queues
one letter each, so a retry resends only the letter that failed.
"""
import logging

from rq import Retry
from sqlalchemy import select

from app.events.service import record_event
from app.extensions import db
from app.jobs import enqueue, tenant_job
from app.letters import compose
from app.letters.kinds import CUSTOMER_KINDS, STAFF_KINDS
from app.letters.languages import remember_language, requester_language
from app.staff.models import DepartmentAccess, Staff
from app.tickets.models import Message, Ticket
from integrations.mail.transports import deliver_for_tenant, replies_sent_elsewhere

log = logging.getLogger(__name__)
QUEUE = "notifications"
RETRY = Retry(max=6, interval=[10, 60, 300, 900, 3600, 3600])


def queue_letter(tenant_id: int, kind: str, ticket_id: int, **details) -> None:
    """Send letter ``kind`` about a ticket once the current transaction commits.
    ``details``: ``language`` (the requester's, when the request knows it), ``message_id``
    (the reply), ``staff_id`` (the staff member written to), ``agent_id`` (who acted)."""
    enqueue(send_ticket_letter, tenant_id, kind, ticket_id, details, queue_name=QUEUE,
            retry=RETRY)


def queue_department_letters(tenant_id: int, ticket_id: int, *,
                             skip_staff_ids: tuple[int, ...] = ()) -> None:
    """Tell the staff of the ticket's department about a new ticket (after commit)."""
    enqueue(notify_department, tenant_id, ticket_id, list(skip_staff_ids), queue_name=QUEUE,
            retry=RETRY)


def _sent(ticket: Ticket, kind: str, draft) -> str:
    where = deliver_for_tenant(ticket.tenant_id, compose.mime(ticket, kind, draft))
    log.info("%s letter about ticket %s to %s via %s", kind, ticket.number, draft.to, where)
    record_event(None, "mail.sent", ticket, {"kind": kind, "to": [draft.to],
                                             "subject": draft.rendered.subject,
                                             "number": ticket.number})
    return where


@tenant_job
def send_ticket_letter(tenant_id: int, kind: str, ticket_id: int, details: dict) -> str | None:
    """Job: compose and send one letter; None when there is nothing to send (the ticket
    is gone, the reply went out another way, nobody to write to)."""
    ticket = db.session.get(Ticket, ticket_id)
    if ticket is None:
        return None
    if kind in CUSTOMER_KINDS:
        message = None
        if kind == "reply":
            message = db.session.get(Message, details.get("message_id"))
            if message is None or message.internal or replies_sent_elsewhere(tenant_id,
                                                                              ticket.id):
                return None
        language = details.get("language")
        if language:
            remember_language(ticket.customer_id, language)
        else:
            language = requester_language(ticket.customer_id)
        draft = compose.customer_draft(ticket, kind, language=language, message=message)
    elif kind in STAFF_KINDS:
        staff = db.session.get(Staff, details.get("staff_id"))
        agent = db.session.get(Staff, details["agent_id"]) if details.get("agent_id") else None
        draft = compose.staff_draft(ticket, kind, staff, agent=agent) if staff else None
    else:
        raise ValueError(f"unknown letter {kind!r}")
    return _sent(ticket, kind, draft) if draft is not None else None


def department_staff(ticket: Ticket) -> list[Staff]:
    """Who hears of a new ticket: the active staff with access to its department; for a
    ticket in no department, the admins and managers (who see every ticket)."""
    stmt = select(Staff).where(Staff.active.is_(True))
    if ticket.department_id is None:
        stmt = stmt.where(Staff.role.in_(("admin", "manager")))
    else:
        stmt = stmt.join(DepartmentAccess, DepartmentAccess.staff_id == Staff.id).where(
            DepartmentAccess.department_id == ticket.department_id)
    return list(db.session.scalars(stmt.order_by(Staff.id)))


@tenant_job
def notify_department(tenant_id: int, ticket_id: int, skip_staff_ids: list[int]) -> list[int]:
    """Job: queue a "new ticket" letter to each staff member of the ticket's department."""
    return _department_letters(tenant_id, db.session.get(Ticket, ticket_id), skip_staff_ids)


def _department_letters(tenant_id: int, ticket: Ticket | None, skip_staff_ids) -> list[int]:
    if ticket is None or ticket.spam or ticket.deferred:
        return []
    # Whoever entered the ticket (staff or API) knows of it already.
    entered_by = db.session.scalar(select(Message.staff_id).where(
        Message.ticket_id == ticket.id).order_by(Message.id).limit(1))
    skip = {*skip_staff_ids, entered_by}
    ids = [staff.id for staff in department_staff(ticket)
           if staff.id not in skip and staff.email]
    for staff_id in ids:
        queue_letter(tenant_id, "staff_new_ticket", ticket.id, staff_id=staff_id)
    return ids


def queue_new_ticket_letters(tenant_id: int, ticket_id: int, *, language: str | None,
                             with_staff: bool, assignee_id: int | None) -> None:
    """The letters of a new ticket, as one job after the commit: the request that made the
    ticket pays for one enqueue, however many letters follow."""
    enqueue(letters_of_new_ticket, tenant_id, ticket_id, language, with_staff, assignee_id,
            queue_name=QUEUE, retry=RETRY)


@tenant_job
def letters_of_new_ticket(tenant_id: int, ticket_id: int, language: str | None,
                          with_staff: bool, assignee_id: int | None) -> list[int]:
    """Job: queue the receipt to the requester and, when the ticket is live, the letters to
    its assignee and its department's staff — each letter its own job, so a retry resends
    only the one that failed. The staff ids written to."""
    queue_letter(tenant_id, "receipt", ticket_id, language=language)
    if not with_staff:
        return []
    skip: tuple[int, ...] = ()
    written = []
    if assignee_id is not None:
        queue_letter(tenant_id, "staff_assigned", ticket_id, staff_id=assignee_id)
        skip = written = [assignee_id]
    return written + _department_letters(tenant_id, db.session.get(Ticket, ticket_id), skip)
