"""Ticket service functions, feature by feature, below the HTTP layer."""
import pytest
from sqlalchemy import select

from app.customers.models import Customer
from app.customers.service import create_organization
from app.errors import Conflict, NotFound, ValidationFailed
from app.events.models import Event
from app.extensions import db
from app.staff.models import Staff
from app.tickets import service, signals
from app.tickets.models import Message, Ticket
from tenants.context import tenant_scope
from tenants.resolve import tenant_by_slug, tenant_id_by_slug
from tests.test_tickets_support import Desk, make_pro


@pytest.fixture
def desk(app, signup, app_ctx):
    api, body = signup()
    make_pro(app, api)
    tenant = tenant_by_slug(body["tenant"]["slug"])
    with tenant_scope(tenant.id):
        admin = db.session.scalar(select(Staff).where(Staff.role == "admin"))
        yield Desk(tenant.id, admin)


def events(action: str, ticket) -> list[Event]:
    return db.session.scalars(select(Event).where(
        Event.action == action, Event.object_id == str(ticket.id))).all()


def test_numbers_count_per_tenant(app, signup, app_ctx):
    numbers = []
    for _ in range(2):
        _api, body = signup()
        with tenant_scope(tenant_id_by_slug(body["tenant"]["slug"])):
            desk = Desk(None, None)
            numbers.append([desk.ticket().number for _ in range(3)])
    assert numbers == [[1, 2, 3], [1, 2, 3]]


def test_requester_registered_once_and_matched_to_organization(desk):
    org = create_organization(actor=desk.admin, name="Client Ltd", domains=["Client.example"])
    first = desk.ticket(requester_email="Jane@Client.example", requester_name="")
    second = desk.ticket(requester_email="jane@client.example", requester_name="Jane Doe")
    customers = db.session.scalars(select(Customer)).all()
    assert [c.email for c in customers] == ["jane@client.example"]
    assert customers[0].name == "Jane Doe"  # a missing name is filled in later
    assert first.customer_id == second.customer_id == customers[0].id
    assert first.organization_id == org.id == customers[0].organization_id
    assert desk.ticket(requester_email="x@other.example").organization_id is None


def test_created_ticket_has_message_event_and_timestamps(desk):
    ticket = desk.ticket(subject="  Cannot   log in ", body="Line one\n\nLine <two>")
    assert ticket.subject == "Cannot log in" and ticket.status == "new"
    assert ticket.priority == "normal" and ticket.channel == "widget"
    assert ticket.received_at is not None and ticket.first_response_at is None
    [message] = service.messages_of(ticket)
    assert message.author_kind == "customer" and not message.internal
    assert message.body_html == "<p>Line one</p><p>Line &lt;two&gt;</p>"
    [event] = events("ticket.created", ticket)
    assert event.actor_type == "customer" and event.data["channel"] == "widget"


def test_bad_choices_name_the_field_and_values(desk):
    with pytest.raises(ValidationFailed) as exc:
        desk.ticket(priority="critical")
    assert "priority" in exc.value.fields and "urgent" in exc.value.fields["priority"]
    with pytest.raises(ValidationFailed) as exc:
        desk.ticket(requester_email="not an email")
    assert "requester.email" in exc.value.fields
    with pytest.raises(NotFound):
        desk.ticket(department_id=987654)


def test_signals_route_defer_and_notify(app, desk):
    support = desk.department("Billing")
    seen, created = [], []

    def route(_app, *, draft):
        if "invoice" in draft.body_text.lower():
            draft.department_id, draft.priority, draft.routing_rule_id = support.id, "high", 7
            draft.tags = draft.tags + ["invoices"]

    def receiver(_app, *, ticket):
        created.append(ticket.number)

    with (signals.ticket_drafted.connected_to(route, sender=app),
          signals.ticket_admitting.connected_to(lambda _app, tenant_id: False, sender=app),
          signals.ticket_changed.connected_to(
              lambda _app, ticket, reason: seen.append(reason), sender=app),
          signals.ticket_created.connected_to(receiver, sender=app)):
        ticket = desk.ticket(body="Please send the invoice again")
        service.change_priority(actor=desk.admin, ticket=ticket, priority="urgent")
    assert ticket.department_id == support.id and ticket.routing_rule_id == 7
    assert ticket.tags == ["invoices"] and ticket.priority == "urgent"
    assert ticket.deferred is True  # over the quota: stored, but waiting
    assert seen == ["created", "priority"] and created == [ticket.number]
    inbox = service.list_tickets(desk.admin).items
    assert ticket not in inbox
    assert service.list_tickets(desk.admin, deferred=True).items == [ticket]
    assert service.release_deferred(limit=5) == [ticket] and not ticket.deferred


def test_first_reply_sets_first_response_and_opens(desk):
    ticket = desk.ticket()
    note = service.add_note(actor=desk.admin, ticket=ticket, body="checking logs")
    assert note.internal and ticket.first_response_at is None and ticket.status == "new"
    reply = service.reply(actor=desk.admin, ticket=ticket, body="<p>Fixed it</p>")
    assert not reply.internal and ticket.first_response_at is not None
    assert ticket.status == "open" and ticket.version == 3  # reply + status change
    first = ticket.first_response_at
    service.reply(actor=desk.admin, ticket=ticket, body="One more thing", status="pending")
    assert ticket.first_response_at == first and ticket.status == "pending"
    assert [e.action for e in db.session.scalars(select(Event).where(
        Event.object_type == "ticket", Event.object_id == str(ticket.id)).order_by(Event.id))] == [
        "ticket.created", "ticket.noted", "ticket.replied", "ticket.status_changed",
        "ticket.replied", "ticket.status_changed"]


def test_status_timestamps_and_reopen(desk):
    ticket = desk.ticket()
    service.change_status(actor=desk.admin, ticket=ticket, status="resolved")
    assert ticket.resolved_at is not None and ticket.closed_at is None
    service.change_status(actor=desk.admin, ticket=ticket, status="closed")
    assert ticket.closed_at is not None and ticket.resolved_at is not None
    customer = db.session.get(Customer, ticket.customer_id)
    service.add_customer_message(ticket=ticket, customer=customer, body="Still broken")
    assert ticket.status == "open" and ticket.resolved_at is None and ticket.closed_at is None
    [event] = events("ticket.status_changed", ticket)[-1:]
    assert event.data["before"] == "closed" and event.data["after"] == "open"
    assert event.actor_type == "customer"


def test_collision_holds_reply_until_forced(desk):
    colleague = desk.staff(role="manager", name="Colleague")
    ticket = desk.ticket()
    seen = ticket.version
    service.reply(actor=colleague, ticket=ticket, body="I answered already", seen_version=seen)
    with pytest.raises(service.Collision) as exc:
        service.reply(actor=desk.admin, ticket=ticket, body="My answer", seen_version=seen)
    changes = exc.value.changes
    assert exc.value.status == 409 and exc.value.code == "collision"
    assert [m["excerpt"] for m in changes["messages"]] == ["I answered already"]
    assert changes["status_changes"][0]["after"] == "open"
    assert len(service.messages_of(ticket)) == 2  # the held reply was not stored
    # A note never collides; a forced reply goes through; a fresh version too.
    service.add_note(actor=desk.admin, ticket=ticket, body="note", seen_version=seen)
    service.reply(actor=desk.admin, ticket=ticket, body="My answer", seen_version=seen,
                  force=True)
    service.reply(actor=desk.admin, ticket=ticket, body="Again", seen_version=ticket.version)
    # Only others' actions count: my own earlier reply is no collision for me.
    mine = ticket.version
    service.reply(actor=desk.admin, ticket=ticket, body="Third", seen_version=mine)
    service.reply(actor=desk.admin, ticket=ticket, body="Fourth", seen_version=mine)


def test_assign_transfer_escalate(desk):
    first, second = desk.department("First line"), desk.department("Specialists")
    agent = desk.staff(access={first.id: "reply"}, name="First Agent")
    expert = desk.staff(access={second.id: "reply"}, name="Expert")
    ticket = desk.ticket(department_id=first.id)
    service.assign(actor=desk.admin, ticket=ticket, assignee_id=agent.id, comment="yours")
    assert ticket.assignee_id == agent.id
    with pytest.raises(ValidationFailed) as exc:  # no right in that department
        service.assign(actor=desk.admin, ticket=ticket, assignee_id=expert.id)
    assert "assignee_id" in exc.value.fields
    service.transfer(actor=agent, ticket=ticket, department_id=second.id, comment="needs expert")
    assert ticket.department_id == second.id and ticket.assignee_id is None
    [event] = events("ticket.transferred", ticket)
    assert event.data["before"] == {"department_id": first.id, "assignee_id": agent.id}
    assert event.data["comment"] == "needs expert"
    notes = [m.body_text for m in service.messages_of(ticket) if m.internal]
    assert notes == ["yours", "Transferred: needs expert"]
    service.escalate(actor=desk.admin, ticket=ticket, assignee_id=expert.id)
    service.escalate(actor=desk.admin, ticket=ticket)
    assert ticket.escalation_level == 3 and ticket.assignee_id == expert.id
    with pytest.raises(Conflict):
        service.escalate(actor=desk.admin, ticket=ticket)
    assert [(e.data["before"], e.data["after"]) for e in events("ticket.escalated", ticket)] \
        == [(1, 2), (2, 3)]


def test_merge_moves_conversation_and_closes_source(desk):
    survivor = desk.ticket(subject="Survivor", tags=["a"])
    duplicate = desk.ticket(subject="Duplicate", body="same problem", tags=["b"])
    service.reply(actor=desk.admin, ticket=duplicate, body="answer on duplicate")
    service.merge(actor=desk.admin, source=duplicate, target=survivor)
    assert duplicate.merged_into_id == survivor.id and duplicate.status == "closed"
    bodies = [m.body_text for m in service.messages_of(survivor)]
    assert "same problem" in bodies and "answer on duplicate" in bodies
    assert survivor.tags == ["a", "b"]
    assert db.session.scalar(select(Message.id).where(Message.ticket_id == duplicate.id,
                                                      Message.internal.is_(False))) is None
    with pytest.raises(Conflict):  # the merged ticket takes no more replies
        service.reply(actor=desk.admin, ticket=duplicate, body="hello")
    with pytest.raises(ValidationFailed):
        service.merge(actor=desk.admin, source=survivor, target=survivor)
    # The moved conversation is found through the survivor.
    assert service.search_tickets(desk.admin, "same problem").items == [survivor]


def test_links_trash_restore_archive(desk):
    a, b = desk.ticket(), desk.ticket()
    service.link(actor=desk.admin, ticket=b, other=a)
    service.link(actor=desk.admin, ticket=a, other=b)  # once is enough
    assert service.linked_tickets(a) == [b] and service.linked_tickets(b) == [a]
    service.unlink(actor=desk.admin, ticket=a, other=b)
    assert service.linked_tickets(a) == []
    service.trash(actor=desk.admin, ticket=a)
    assert a not in service.list_tickets(desk.admin).items
    assert service.list_tickets(desk.admin, deleted=True).items == [a]
    with pytest.raises(Conflict):
        service.reply(actor=desk.admin, ticket=a, body="hi")
    service.restore(actor=desk.admin, ticket=a)
    assert a in service.list_tickets(desk.admin).items
    with pytest.raises(Conflict):  # only closed tickets are archived
        service.archive(actor=desk.admin, ticket=b)
    service.change_status(actor=desk.admin, ticket=b, status="closed")
    service.archive(actor=desk.admin, ticket=b)
    assert b not in service.list_tickets(desk.admin).items
    assert service.list_tickets(desk.admin, archived=True).items == [b]
    assert b in service.search_tickets(desk.admin, "broke").items  # the archive is searchable
    service.change_status(actor=desk.admin, ticket=b, status="open")  # reopening unarchives
    assert b.archived_at is None


def test_search_in_english_and_russian(desk):
    printer = desk.ticket(subject="Printers are jamming", body="Paper stuck")
    russian = desk.ticket(subject="Не работает принтер", body="Бумага застряла в лотке")
    other = desk.ticket(subject="Password reset", body="Forgot it")
    service.reply(actor=desk.admin, ticket=other, body="Reset link sent to your mailbox")
    assert service.search_tickets(desk.admin, "printer jammed").items == [printer]
    assert service.search_tickets(desk.admin, "принтеры").items == [russian]
    assert service.search_tickets(desk.admin, "клавиатура").items == []
    assert service.search_tickets(desk.admin, "лотка").items == [russian]
    assert service.search_tickets(desk.admin, "mailbox").items == [other]  # replies count


def test_list_filters_and_keyset_pages(desk):
    tickets = [desk.ticket(priority=("low", "high")[i % 2], tags=["vip"] if i < 3 else [],
                           requester_email=f"p{i % 2}@client.example") for i in range(7)]
    page = service.list_tickets(desk.admin, limit=3)
    assert [t.number for t in page.items] == [7, 6, 5]
    page2 = service.list_tickets(desk.admin, limit=3, cursor=page.next_cursor)
    page3 = service.list_tickets(desk.admin, limit=3, cursor=page2.next_cursor)
    assert [t.number for t in page2.items + page3.items] == [4, 3, 2, 1]
    assert page3.next_cursor is None
    assert {t.number for t in service.list_tickets(desk.admin, tag="vip").items} == {1, 2, 3}
    assert {t.number for t in service.list_tickets(desk.admin, priority="high").items} \
        == {2, 4, 6}
    assert {t.number for t in service.list_tickets(
        desk.admin, requester_email="P1@client.example").items} == {2, 4, 6}
    service.assign(actor=desk.admin, ticket=tickets[0], assignee_id=desk.admin.id)
    assert service.list_tickets(desk.admin, assignee_id=desk.admin.id).items == [tickets[0]]
    assert len(service.list_tickets(desk.admin, unassigned=True).items) == 6
    with pytest.raises(ValidationFailed) as exc:
        service.list_tickets(desk.admin, status="waiting")
    assert "status" in exc.value.fields


def test_custom_fields_validated(desk):
    from app.tickets import fields

    fields.create_field(actor=desk.admin, key="plan", label="Plan", kind="select",
                        options=["free", "paid"], required=True)
    fields.create_field(actor=desk.admin, key="seats", label="Seats", kind="number")
    fields.create_field(actor=desk.admin, key="vip", label="VIP", kind="checkbox")
    with pytest.raises(ValidationFailed) as exc:
        desk.ticket(channel="api", actor=desk.admin, custom_fields={"seats": "many"})
    assert set(exc.value.fields) == {"custom_fields.seats", "custom_fields.plan"}
    # Mail can't fill a form: a required field doesn't stop the request being registered.
    mailed = desk.ticket(channel="email", custom_fields={"seats": "3"})
    assert mailed.custom_fields == {"seats": 3}
    service.set_custom_fields(actor=desk.admin, ticket=mailed,
                              values={"plan": "paid", "vip": "yes", "seats": None})
    assert mailed.custom_fields == {"plan": "paid", "vip": True}
    with pytest.raises(ValidationFailed):
        service.set_custom_fields(actor=desk.admin, ticket=mailed, values={"nope": 1})


def test_department_in_use_and_referenced_staff(desk):
    from app.departments.service import delete_department
    from app.staff.service import delete_staff

    used = desk.department("Used")
    agent = desk.staff(access={used.id: "reply"})
    ticket = desk.ticket(department_id=used.id)
    with pytest.raises(Conflict):
        delete_department(actor=desk.admin, department_id=used.id)
    service.assign(actor=desk.admin, ticket=ticket, assignee_id=agent.id)
    delete_staff(actor=desk.admin, staff_id=agent.id)
    assert db.session.get(Staff, agent.id).active is False  # kept for the history
    assert ticket.assignee_id == agent.id and ticket.tenant_id == desk.tenant_id


def test_search_stays_in_the_tenant(app, signup, app_ctx):
    """The search side table has no RLS (see migration 0002); searches still return only the
    current tenant's tickets, and with no tenant nothing at all."""
    found = {}
    for name in ("a", "b"):
        _api, body = signup()
        tenant_id = tenant_id_by_slug(body["tenant"]["slug"])
        with tenant_scope(tenant_id):
            admin = db.session.scalar(select(Staff).where(Staff.role == "admin"))
            ticket = Desk(tenant_id, admin).ticket(subject="Shared words: kangaroo invoice")
            db.session.commit()  # each tenant's work ends in its own scope
            found[name] = (tenant_id, admin.id, ticket.id)
    for tenant_id, admin_id, ticket_id in found.values():
        with tenant_scope(tenant_id):
            admin = db.session.get(Staff, admin_id)  # rows never outlive their scope
            assert [t.id for t in service.search_tickets(admin, "kangaroo").items] == [ticket_id]
    from app.tickets.search import matches

    assert str(matches("kangaroo")) == "0 = 1"  # no tenant context: fail closed


def test_archive_job_moves_old_closed_tickets(desk):
    from datetime import timedelta

    from app.db_types import utcnow
    from app.tickets.jobs import archive_all

    old, recent, active = desk.ticket(), desk.ticket(), desk.ticket()
    for ticket in (old, recent):
        service.change_status(actor=desk.admin, ticket=ticket, status="closed")
    old.closed_at = utcnow() - timedelta(days=31)
    db.session.commit()
    ids = old.id, recent.id, active.id
    assert archive_all() >= 1
    old, recent, active = (db.session.get(Ticket, ticket_id) for ticket_id in ids)
    assert old.archived_at is not None
    assert recent.archived_at is None and active.archived_at is None
    assert archive_all() == 0  # idempotent


def test_collision_by_time_seen(desk):
    from datetime import timedelta

    from app.db_types import utcnow

    ticket = desk.ticket()
    opened = utcnow() - timedelta(seconds=1)
    customer = db.session.get(Customer, ticket.customer_id)
    service.add_customer_message(ticket=ticket, customer=customer, body="Any news?")
    with pytest.raises(service.Collision) as exc:
        service.reply(actor=desk.admin, ticket=ticket, body="Looking", seen_at=opened)
    assert exc.value.changes["messages"][0]["author"]["kind"] == "customer"
    service.reply(actor=desk.admin, ticket=ticket, body="Looking", seen_at=utcnow())


@pytest.mark.parametrize("window,cap,large,windows", [
    (3, 100, 0, 20),        # a window of the newest, then index candidates
    (3, 2, 0, 20),          # too many candidates: window after window
    (3, 2, 0, 1),           # … until the walk gives up and scans on
    (1000, 100, 10**6, 1),  # a small tenant: index candidates only
])
def test_search_pages_in_bounded_steps_match_a_plain_scan(desk, monkeypatch, window, cap,
                                                          large, windows):
    """The stepwise search gives exactly the pages a plain newest-first scan would, across
    cursors, whichever steps it takes."""
    from app.tickets import search

    monkeypatch.setattr(search, "SEARCH_WINDOW", window)
    monkeypatch.setattr(search, "MAX_CANDIDATES", cap)
    monkeypatch.setattr(search, "LARGE_TENANT", large)
    monkeypatch.setattr(search, "MAX_WINDOWS", windows)
    monkeypatch.setattr(search, "_CHUNK", 2)
    words = ["lamp", "desk", "lamp desk", "chair", "lamp", "desk", "lamp", "chair", "lamp"]
    tickets = [desk.ticket(subject=f"{w} ticket {i}") for i, w in enumerate(words)]
    service.trash(actor=desk.admin, ticket=tickets[6])  # filtered out by the statement
    expected = [t.number for t in reversed(tickets)
                if "lamp" in t.subject and t is not tickets[6]]
    seen, cursor = [], None
    while True:
        result = service.search_tickets(desk.admin, "lamp", cursor=cursor, limit=2)
        seen += [t.number for t in result.items]
        if result.next_cursor is None:
            break
        cursor = result.next_cursor
    assert seen == expected
    assert service.search_tickets(desk.admin, "sofa").items == []


def test_trashed_deferred_tickets_are_not_released(app, desk):
    with signals.ticket_admitting.connected_to(lambda _app, tenant_id: False, sender=app):
        spam = desk.ticket(subject="Buy cheap watches")
        real = desk.ticket(subject="Order 12 is late")
    service.trash(actor=desk.admin, ticket=spam)
    assert service.release_deferred(limit=5) == [real]
    assert spam.deferred is True
