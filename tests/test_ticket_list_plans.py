"""The service's lists (the API's, the inbox's views) run one prepared statement per shape of
filters: they answer exactly what the statement a caller builds (``ticket_query`` + ``page``)
answers, for every filter, view, cursor and search; the tenant is a value of each run; a
search costs at most three statements; a page that tests every ticket runs without parallel
workers."""
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from app.db_types import utcnow
from app.extensions import db
from app.staff.models import Staff
from app.tickets import search, service
from app.tickets.display import ACTIVE, NEAR, near_breach
from app.tickets.listing import page, ticket_query
from app.tickets.models import Ticket
from tenants.context import tenant_scope
from tenants.resolve import tenant_id_by_slug
from tests.statements import recorded_statements
from tests.test_tickets_support import Desk

# Not the app's: the test fixture's savepoints and roles, the tenant setting per transaction.
_NOT_COUNTED = ("SELECT SET_CONFIG('APP.",)


@pytest.fixture
def queries(app):
    with recorded_statements(app, skip=_NOT_COUNTED, width=80) as sent:
        yield sent


def _seen(row) -> dict:
    values = {key: value for key, value in vars(row).items() if key != "customer"}
    return values | {"customer": (row.customer.email, row.customer.name)}


def _pages(fetch, *args, limit: int, **filters) -> list[list[dict]]:
    """Every page of ``fetch(*args, cursor=…, limit=limit, **filters)``, rows as dicts."""
    pages, cursor = [], None
    while True:
        result = fetch(*args, cursor=cursor, limit=limit, **filters)
        pages.append([_seen(row) for row in result.items])
        if result.next_cursor is None:
            return pages
        cursor = result.next_cursor


def _built(staff, *, cursor, limit, **filters):
    """The page of the statement a caller builds and pages itself."""
    return page(ticket_query(staff, **filters), cursor=cursor, limit=limit)


@pytest.fixture
def varied(desk):
    """Tickets that differ in every filtered field, some of them trashed, merged, spam."""
    agent, first, tickets = desk.various(14)
    service.change_status(actor=desk.admin, ticket=tickets[1], status="open")
    service.change_status(actor=desk.admin, ticket=tickets[2], status="pending")
    service.change_status(actor=desk.admin, ticket=tickets[3], status="closed")
    service.merge(actor=desk.admin, source=tickets[4], target=tickets[5])
    service.trash(actor=desk.admin, ticket=tickets[6])
    tickets[7].spam = True
    db.session.flush()
    return desk.admin, agent, first, tickets


FILTERS = [
    {}, {"status": "new"}, {"status": ["new", "open", "pending"]}, {"status": "open,closed"},
    {"priority": ["high", "urgent"], "type": "incident"}, {"tag": "VIP "},
    {"unassigned": True}, {"requester_email": "R1@client.example"}, {"deleted": True},
    {"spam": None, "deleted": None, "archived": None}, {"deferred": None, "status": "closed"},
]


@pytest.mark.parametrize("filters", FILTERS)
def test_prepared_lists_answer_what_the_built_statement_answers(varied, filters):
    admin, agent, first, tickets = varied
    filters = filters | ({"assignee_id": agent.id} if filters == {"unassigned": True} else {})
    for staff in (admin, agent):
        for extra in ({}, {"department_id": first.id}):
            chosen = filters | extra
            prepared = _pages(service.list_tickets, staff, limit=3, **chosen)
            assert prepared == _pages(_built, staff, limit=3, **chosen), (staff.role, chosen)
    everything = _pages(service.list_tickets, admin, limit=3)
    assert sum(map(len, everything)) == 12  # all but the trashed one and the spam


@pytest.mark.parametrize("window,large", [(1000, 10**6), (2, 0)])
def test_prepared_searches_answer_what_the_built_statement_answers(varied, monkeypatch,
                                                                   window, large):
    admin, agent, first, tickets = varied
    monkeypatch.setattr(search, "SEARCH_WINDOW", window)
    monkeypatch.setattr(search, "LARGE_TENANT", large)
    for staff in (admin, agent):
        for filters in ({}, {"priority": "urgent"}, {"status": ["new", "open"]},
                        {"department_id": first.id}, {"deleted": True}):
            prepared = _pages(service.search_tickets, staff, "printer", limit=2, **filters)
            built = _pages(_built, staff, q="printer", archived=None, limit=2, **filters)
            assert prepared == built, (staff.role, filters)
            assert all("Printer" in row["subject"] for rows in prepared for row in rows)


def test_a_status_asked_twice_lists_each_ticket_once(desk):
    for _ in range(3):
        desk.ticket(subject="Twice")
    numbers = [t.number for t in service.list_tickets(desk.admin, status=["new", "new"]).items]
    assert numbers == [3, 2, 1]


def test_a_list_shows_what_the_unit_of_work_holds(desk):
    ticket = desk.ticket(subject="Before")
    ticket.subject = "After"  # not flushed yet: the list writes it first, as a query would
    assert [t.subject for t in service.list_tickets(desk.admin).items] == ["After"]


def test_a_prepared_list_reads_the_tenant_of_each_run(app, signup, app_ctx):
    """The statement is compiled once for every tenant; the tenant is a value of each run."""
    seen = {}
    for name in ("a", "b"):
        api, body = signup()
        tenant_id = tenant_id_by_slug(body["tenant"]["slug"])
        with tenant_scope(tenant_id):
            admin = db.session.scalar(select(Staff).where(Staff.role == "admin"))
            ticket = Desk(tenant_id, admin).ticket(subject=f"Wombat {name}", tags=["vip"])
            db.session.commit()
            seen[name] = (tenant_id, admin.id, ticket.id)
    for tenant_id, admin_id, ticket_id in seen.values():
        with tenant_scope(tenant_id):
            admin = db.session.get(Staff, admin_id)
            for listed in (service.list_tickets(admin, tag="vip"),
                           service.search_tickets(admin, "wombat")):
                assert [t.id for t in listed.items] == [ticket_id]


@pytest.mark.parametrize("large", [10**6, 0])
def test_a_search_is_at_most_three_statements(desk, queries, monkeypatch, large):
    """Settings and the tenant's size in one; the planner's estimate (a large tenant only);
    then the page: the newest window, or the index's candidates and their rows."""
    monkeypatch.setattr(search, "LARGE_TENANT", large)
    for i in range(6):
        desk.ticket(subject=f"Printer {i}")
    db.session.flush()
    queries.clear()
    found = service.search_tickets(desk.admin, "printer", limit=4)
    assert len(found.items) == 4 and found.next_cursor is not None
    assert len(queries) <= 3, queries


def test_a_page_that_tests_every_ticket_runs_without_parallel_workers(desk):
    """Starting workers costs more than a page's short walk; a walk the indexes order
    (the inbox, a status) needs no setting and no second statement."""
    desk.ticket(subject="Tagged", tags=["vip"])

    def workers() -> str:
        return db.session.execute(text("SHOW max_parallel_workers_per_gather")).scalar()

    assert service.list_tickets(desk.admin, status="new").items and workers() != "0"
    assert [t.subject for t in service.list_tickets(desk.admin, tag="vip").items] == ["Tagged"]
    assert workers() == "0"


def _near_breach(staff, *, cursor, limit, now):
    return page(near_breach(ticket_query(staff, status=ACTIVE), NEAR, now=now), cursor=cursor,
                limit=limit)


def _in_departments(staff, *, cursor, limit, ids):
    return page(ticket_query(staff).where(Ticket.department_id.in_(ids)), cursor=cursor,
                limit=limit)


def test_the_breach_and_department_views_answer_what_the_built_statement_answers(varied):
    admin, agent, first, tickets = varied
    now = utcnow()
    tickets[0].first_response_due_at = now - timedelta(minutes=5)
    tickets[8].resolution_due_at = now + timedelta(hours=1)
    tickets[9].resolution_due_at = now + timedelta(hours=5)
    tickets[10].sla_breached = True
    db.session.flush()
    due = {}
    for staff in (admin, agent):
        due[staff.role] = _pages(service.list_tickets, staff, limit=2, status=ACTIVE,
                                 due_by=now + NEAR)
        assert due[staff.role] == _pages(_near_breach, staff, limit=2, now=now)
        mine = _pages(service.list_tickets, staff, limit=2, department_ids=[first.id])
        assert mine == _pages(_in_departments, staff, limit=2, ids=[first.id])
    numbers = {role: [row["number"] for rows in pages for row in rows]
               for role, pages in due.items()}
    # The agent sees the first line's tickets and the unsorted ones, not the second line's.
    assert numbers == {"admin": [tickets[i].number for i in (10, 8, 0)],
                       "agent": [tickets[i].number for i in (8, 0)]}


def _plans(fragment: str) -> list[tuple[int, int]]:
    """(generic, custom) plan counts of this connection's prepared statements whose text
    holds ``fragment``."""
    return [tuple(row) for row in db.session.execute(text(
        "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
        " WHERE statement LIKE :fragment"), {"fragment": f"%{fragment}%"})]


def test_the_inbox_runs_on_its_generic_plan_other_views_on_the_planners_choice(desk):
    """The inbox's generic plan (a walk of a tenant-first index) suits every tenant;
    planning afresh on every run was half of a page's time on the server. A department's
    view keeps the planner's choice, made for the department asked. The setting is the
    page's alone: the transaction goes on with the session's own."""
    first = desk.department("First line")
    for i in range(3):
        desk.ticket(subject=f"Printer {i}", department_id=first.id)
    db.session.flush()
    default = db.session.execute(text("SHOW plan_cache_mode")).scalar()
    for _ in range(7):  # the planner would choose between plans after five runs
        assert len(service.list_tickets(desk.admin, status="new").items) == 3
        assert db.session.execute(text("SHOW plan_cache_mode")).scalar() == default
    inbox = _plans("AS tags")
    assert inbox and all(custom == 0 and generic >= 7 for generic, custom in inbox), inbox
    for _ in range(7):
        assert len(service.list_tickets(desk.admin, department_ids=[first.id]).items) == 3
    department = [plans for plans in _plans("department_id IN") if plans not in inbox]
    assert department and all(custom >= 5 for _generic, custom in department), department
    assert len(service.search_tickets(desk.admin, "printer").items) == 3
    assert db.session.execute(text("SHOW plan_cache_mode")).scalar() == default
