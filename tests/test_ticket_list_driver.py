"""The service's list statements run straight on the driver of the session's connection
(``app.tickets.driver``): they answer exactly what SQLAlchemy's execute of the same statement
answers, for every shape of filters, cursor and search step; row-level security and the
transaction's tenant still decide what is seen; what the session holds is written first; the
engine's cursor events still see each statement; a driver error comes out as SQLAlchemy's."""
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, exc, select, text

from app.db_types import utcnow
from app.extensions import db
from app.staff.models import Staff
from app.tickets import driver, listing, search, service
from app.tickets.display import ACTIVE, NEAR
from app.tickets.models import Ticket
from tenants.context import tenant_scope
from tenants.resolve import tenant_id_by_slug
from tests.statements import FIXTURE_STATEMENTS, recorded_statements
from tests.test_tickets_support import Desk


@pytest.fixture
def varied(desk):
    """Tickets that differ in every filtered field; some merged, trashed, spam, due."""
    agent, first, tickets = desk.various(12)
    now = utcnow()
    service.change_status(actor=desk.admin, ticket=tickets[1], status="open")
    service.change_status(actor=desk.admin, ticket=tickets[2], status="closed")
    service.merge(actor=desk.admin, source=tickets[3], target=tickets[4])
    service.trash(actor=desk.admin, ticket=tickets[5])
    tickets[6].spam = True
    tickets[7].resolution_due_at = now + timedelta(minutes=20)
    tickets[8].custom_fields = {"plan": "paid"}
    db.session.flush()
    return desk.admin, agent, first, tickets


@contextmanager
def through_sqlalchemy():
    """Inside the block the lists run through SQLAlchemy's execute, as before the driver."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(driver, "direct", lambda connection: False)
        yield


def _seen(page) -> tuple:
    """Everything a page shows, with each value's type (an aware datetime, a list…)."""
    rows = [([(key, value, type(value)) for key, value in vars(row).items()
              if key != "customer"], row.customer.email, row.customer.name, type(row))
            for row in page.items]
    return rows, page.next_cursor


def test_the_driver_runs_the_lists_on_postgresql(app_ctx):
    assert driver.direct(db.session.connection())


SHAPES = [
    {}, {"status": "new"}, {"status": ["new", "open", "pending"]}, {"status": "open,closed"},
    {"priority": "urgent"}, {"priority": ["high", "urgent"], "type": "incident"},
    {"tag": "vip"}, {"unassigned": True}, {"requester_email": "R1@client.example"},
    {"deleted": True}, {"spam": None, "deleted": None, "archived": None},
    {"deferred": None, "status": "closed"}, {"department_ids": []},
    {"escalation_level": 1}, {"status": ACTIVE, "due_by": "soon"},
]


@pytest.mark.parametrize("filters", SHAPES)
def test_the_driver_answers_what_sqlalchemy_answers(varied, filters):
    admin, agent, first, tickets = varied
    filters = dict(filters)
    if "due_by" in filters:
        filters["due_by"] = utcnow() + NEAR
    if "department_ids" in filters:
        filters["department_ids"] = [first.id]  # an IN list: expanded for each run
    for staff in (admin, agent):
        for extra in ({}, {"department_id": first.id}, {"assignee_id": agent.id},
                      {"customer_id": tickets[0].customer_id}):
            for cursor in (None, tickets[9].id):
                for limit in (1, 50):
                    chosen = filters | extra
                    direct = service.list_tickets(staff, cursor=cursor, limit=limit, **chosen)
                    with through_sqlalchemy():
                        built = service.list_tickets(staff, cursor=cursor, limit=limit,
                                                     **chosen)
                    assert _seen(direct) == _seen(built), (staff.role, chosen, cursor, limit)


@pytest.mark.parametrize("step,settings", [
    ("window", {"SEARCH_WINDOW": 1000, "LARGE_TENANT": 0}),
    ("among", {"SEARCH_WINDOW": 2, "LARGE_TENANT": 10**6}),
    ("matches", {"SEARCH_WINDOW": 2, "LARGE_TENANT": 0, "MAX_CANDIDATES": 0,
                 "MAX_WINDOWS": 1}),
])
def test_every_search_step_answers_what_sqlalchemy_answers(varied, monkeypatch, step,
                                                           settings):
    """The newest window, the candidates by id (written into the statement) and the
    matches, each run straight and through SQLAlchemy."""
    admin, agent, first, tickets = varied
    for name, value in settings.items():
        monkeypatch.setattr(search, name, value)
    steps = []
    rows_of = listing._PreparedSource.rows

    def recorded(source, kind, **kwargs):
        steps.append(kind)
        return rows_of(source, kind, **kwargs)

    monkeypatch.setattr(listing._PreparedSource, "rows", recorded)
    for staff in (admin, agent):
        for words in ("printer", "jam", "scanner jam", "nothing-like-it"):
            for filters in ({}, {"priority": "urgent"}, {"status": ["new", "open"]},
                            {"department_id": first.id}, {"deleted": True}):
                for cursor in (None, tickets[8].id):
                    direct = service.search_tickets(staff, words, cursor=cursor, limit=2,
                                                    **filters)
                    with through_sqlalchemy():
                        built = service.search_tickets(staff, words, cursor=cursor, limit=2,
                                                       **filters)
                    assert _seen(direct) == _seen(built), (staff.role, words, filters)
    assert step in steps


def test_a_row_shows_every_column_of_its_ticket(varied):
    admin, agent, first, tickets = varied
    listed = {row.id: row for row in service.list_tickets(admin, deleted=None, spam=None).items}
    for ticket in tickets:
        row = listed[ticket.id]
        for attribute in Ticket.__mapper__.column_attrs:
            assert getattr(row, attribute.key) == getattr(ticket, attribute.key), attribute.key
        assert (row.customer.email, row.customer.name) == (ticket.customer.email,
                                                           ticket.customer.name)
    assert listed[tickets[3].id].merged_into_number == tickets[4].number
    assert listed[tickets[8].id].custom_fields == {"plan": "paid"}
    assert listed[tickets[2].id].tags == ["vip", "billing"]


def test_what_the_session_holds_is_written_before_the_list(desk):
    """As the ORM's autoflush would before a query: a changed subject and a trashed ticket,
    not yet written, are what the list shows."""
    kept, trashed = desk.ticket(subject="Kept"), desk.ticket(subject="Trashed")
    db.session.flush()
    kept.subject = "Kept, renamed"
    trashed.deleted_at = utcnow()
    assert {kept, trashed} <= set(db.session.dirty)
    assert [row.subject for row in service.list_tickets(desk.admin).items] == ["Kept, renamed"]
    assert not db.session.dirty


def test_without_autoflush_the_session_is_left_as_it_is(desk):
    ticket = desk.ticket(subject="Before")
    db.session.flush()
    ticket.subject = "After"
    with db.session.no_autoflush:
        assert [row.subject for row in service.list_tickets(desk.admin).items] == ["Before"]
    assert ticket in db.session.dirty
    assert [row.subject for row in service.list_tickets(desk.admin).items] == ["After"]


def test_row_level_security_decides_what_the_driver_sees(app, signup, app_ctx):
    """The statement runs on the session's connection, whose transaction carries the
    tenant: a tenant parameter naming another tenant finds none of its tickets."""
    seen = {}
    for name in ("a", "b"):
        api, body = signup()
        tenant_id = tenant_id_by_slug(body["tenant"]["slug"])
        with tenant_scope(tenant_id):
            admin = db.session.scalar(select(Staff).where(Staff.role == "admin"))
            ticket = Desk(tenant_id, admin).ticket(subject=f"Wombat {name}")
            db.session.commit()
            seen[name] = (tenant_id, admin.id, ticket.id)
    (a, a_admin, a_ticket), (b, _b_admin, b_ticket) = seen["a"], seen["b"]
    with tenant_scope(a):
        admin = db.session.get(Staff, a_admin)
        assert [row.id for row in service.list_tickets(admin).items] == [a_ticket]
        stmt = listing._prepared("postgresql", (), 0, False)
        connection = db.session.connection()
        _keys, mine = driver.fetch(connection, stmt, {"tenant_id": a, "limit": 50})
        _keys, theirs = driver.fetch(connection, stmt, {"tenant_id": b, "limit": 50})
        assert [row[0] for row in mine] == [a_ticket] and theirs == []
        assert b_ticket not in [row.id for row in service.search_tickets(admin, "wombat").items]


def test_the_engine_sees_each_statement_the_driver_runs(desk, app):
    """Statement counters and the benchmarks listen to the engine's cursor events."""
    desk.ticket(subject="Counted", tags=["vip"])
    db.session.flush()
    before, after = [], []

    def on_before(conn, cursor, statement, parameters, context, executemany):
        before.append((statement, parameters))

    def on_after(conn, cursor, statement, parameters, context, executemany):
        after.append(statement)

    engine = db.engines["platform"]  # the test fixture's connection comes from it
    event.listen(engine, "before_cursor_execute", on_before)
    event.listen(engine, "after_cursor_execute", on_after)
    try:
        service.list_tickets(desk.admin, tag="vip")
    finally:
        event.remove(engine, "before_cursor_execute", on_before)
        event.remove(engine, "after_cursor_execute", on_after)
    ours = [(statement, parameters) for statement, parameters in before
            if not statement.upper().startswith(FIXTURE_STATEMENTS)]
    before[:] = ours
    after[:] = [statement for statement in after
                if not statement.upper().startswith(FIXTURE_STATEMENTS)]
    statements = [statement for statement, _ in before]
    assert statements == after and len(statements) == 1
    assert statements[0].startswith("SELECT tickets.id")
    assert before[0][1]["tag"] == "vip" and before[0][1]["limit"] == 51


def test_a_page_that_tests_every_ticket_turns_parallel_workers_off_itself(desk, app):
    """One statement: the page carries the setting (for the rest of the transaction, as
    before), and a statement carrying it is planned without workers whatever the setting
    was before it."""
    desk.ticket(subject="Tagged", tags=["vip"])
    db.session.flush()
    with recorded_statements(app, skip=("SELECT SET_CONFIG('APP.",), width=10_000) as sent:
        listed = service.list_tickets(desk.admin, tag="vip").items
    assert [row.subject for row in listed] == ["Tagged"]
    assert len(sent) == 1 and str(listing._SERIAL_HERE) in sent[0]
    connection = db.session.connection()
    assert connection.exec_driver_sql("SHOW max_parallel_workers_per_gather").scalar() == "0"
    # The planner puts any parallel-safe plan under a Gather, whatever its cost (the
    # setting's name since PostgreSQL 16: debug_parallel_query).
    version = int(connection.exec_driver_sql("SHOW server_version_num").scalar())
    forcing = "debug_parallel_query" if version >= 160000 else "force_parallel_mode"
    connection.exec_driver_sql(f"SELECT set_config('{forcing}', 'on', true)")
    connection.exec_driver_sql("SELECT set_config('max_parallel_workers_per_gather', '4', true)")

    def plan(sql: str) -> str:
        return "\n".join(connection.exec_driver_sql("EXPLAIN " + sql).scalars())

    assert "Gather" in plan("SELECT id FROM tickets")
    assert "Gather" not in plan(f"SELECT id FROM tickets WHERE {listing._SERIAL_HERE}")


def test_a_driver_error_comes_out_as_sqlalchemys(desk):
    connection = db.session.connection()
    with pytest.raises(exc.DataError) as raised:
        driver.fetch(connection, text("SELECT 1 / :zero"), {"zero": 0})
    assert "division by zero" in str(raised.value) and raised.value.statement
    db.session.rollback()  # as after any failed statement
    assert service.list_tickets(desk.admin).items == []
