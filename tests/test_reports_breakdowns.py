"""Reopenings and ratings broken down like the other figures; the open load counted by the
index the inbox keeps; deflection explained as a whole-company figure."""
from datetime import timedelta

from sqlalchemy import select, text, update

from app.db_types import utcnow
from app.extensions import db
from app.portal.models import TicketRating
from app.reports import agents, rollup
from app.reports.models import Rollup
from app.tickets.models import Message, Ticket
from tenants.context import tenant_scope
from tests.conftest import STRONG_PASSWORD
from tests.reports_support import rebuild, reports_company, ticket


def _rate(app, tenant_id: int, ticket_id: int, score: int) -> None:
    with app.app_context(), tenant_scope(tenant_id):
        customer_id = db.session.scalar(select(Ticket.customer_id).where(Ticket.id == ticket_id))
        db.session.add(TicketRating(ticket_id=ticket_id, customer_id=customer_id, score=score,
                                    rated_at=utcnow()))
        db.session.commit()


def _number(app, tenant_id: int, ticket_id: int) -> int:
    with app.app_context(), tenant_scope(tenant_id):
        return db.session.scalar(select(Ticket.number).where(Ticket.id == ticket_id))


def test_reopenings_and_ratings_are_broken_down(app, signup):
    api, tenant_id, _ = reports_company(app, signup)
    urgent = ticket(app, api, "Urgent", priority="urgent", channel="email")
    low = ticket(app, api, "Low", priority="low", channel="api")
    trashed = ticket(app, api, "Trashed", priority="urgent", channel="email")
    for ticket_id in (urgent, trashed):
        number = _number(app, tenant_id, ticket_id)
        assert api.patch(f"/tickets/{number}", {"status": "resolved"}).status_code == 200
        assert api.patch(f"/tickets/{number}", {"status": "open"}).status_code == 200
    for ticket_id, score in ((urgent, 2), (low, 5), (trashed, 1)):
        _rate(app, tenant_id, ticket_id, score)
    with app.app_context(), tenant_scope(tenant_id):
        db.session.execute(Ticket.__table__.update().where(Ticket.id == trashed)
                           .values(deleted_at=utcnow()))
        db.session.commit()
    rebuild(app, tenant_id)

    report = api.get("/reports").get_json()
    today = report["series"][-1]
    # The trashed ticket counts nowhere, as for every other figure.
    assert (today["reopened"], today["ratings"], today["satisfaction_avg"]) == (1, 2, 3.5)
    priority = {item["key"]: item for item in report["by_priority"]}
    assert (priority["urgent"]["reopened"], priority["urgent"]["ratings"],
            priority["urgent"]["satisfaction_avg"]) == (1, 1, 2.0)
    assert (priority["low"]["reopened"], priority["low"]["ratings"],
            priority["low"]["satisfaction_avg"]) == (0, 1, 5.0)
    channel = {item["key"]: item for item in report["by_channel"]}
    assert (channel["email"]["reopened"], channel["api"]["ratings"]) == (1, 1)
    for table in ("by_department", "by_agent", "by_type"):
        assert sum(item["reopened"] for item in report[table]) == 1
        assert sum(item["ratings"] for item in report[table]) == 2
    csv = api.get("/reports?format=csv&table=by_priority").get_data(as_text=True)
    assert "reopened" in csv.splitlines()[0] and "satisfaction_avg" in csv.splitlines()[0]
    # Weeks and months add up the broken-down figures of their days too.
    with app.app_context(), tenant_scope(tenant_id):
        today_local = rollup.today()
        for span, first in (("week", today_local.toordinal() - today_local.weekday()),
                            ("month", today_local.replace(day=1).toordinal())):
            row = db.session.get(Rollup, (tenant_id, span, "priority",
                                          today_local.fromordinal(first), "urgent"))
            assert (row.reopened, row.ratings, row.rating_sum) == (1, 1, 2)


def test_the_page_shows_the_breakdowns_and_says_why_deflection_is_not_broken_down(
        app, client, signup):
    api, tenant_id, slug = reports_company(app, signup)
    rated = ticket(app, api, "Rated", priority="high")
    _rate(app, tenant_id, rated, 4)
    rebuild(app, tenant_id)
    response = client.post(f"/t/{slug}/login", data={"email": f"admin@{slug}.example",
                                                     "password": STRONG_PASSWORD})
    assert response.status_code == 302
    html = client.get("/app/reports/").get_data(as_text=True)
    assert 'data-testid="note-deflection"' in html and "whole company" in html
    table = html.split('data-testid="table-by_priority"', 1)[1].split("</section>", 1)[0]
    assert "Average rating" in table and "<td class=\"num\">4.0</td>" in table


def test_open_load_leaves_out_spam_deferred_and_trashed(app, signup):
    api, tenant_id, slug = reports_company(app, signup)
    agent_id = api.post("/staff", {"name": "Agent", "email": f"agent@{slug}.example",
                                   "role": "agent", "password": STRONG_PASSWORD}
                        ).get_json()["id"]
    kinds = {"open": {}, "spam": {"spam": True}, "deferred": {"deferred": True},
             "trashed": {"deleted_at": utcnow()}, "archived": {"archived_at": utcnow()},
             "resolved": {"status": "resolved", "resolved_at": utcnow()}}
    for name, values in kinds.items():
        ticket(app, api, name, assignee_id=agent_id, **values)
    ticket(app, api, "second open", assignee_id=agent_id, status="pending")
    rebuild(app, tenant_id)
    people = {item["staff_id"]: item for item in api.get("/reports/agents").get_json()["items"]}
    assert people[agent_id]["open_now"] == 2


def test_open_load_is_answered_by_the_inbox_index_under_row_level_security(app, signup):
    """With sequential scans (and the sorts another index would need) priced out, the plan
    must find a partial inbox index: its predicate is implied by the statement's, which
    ``deferred IS false`` would not be. (Without the pricing, the few rows of a test database
    make any index look as good, whichever tests ran before.)"""
    api, tenant_id, _ = reports_company(app, signup)
    ticket(app, api, "Load")
    with app.app_context(), tenant_scope(tenant_id):
        statement = agents.open_load_statement([1, 2, 3])
        compiled = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
        for setting in ("enable_seqscan", "enable_sort", "enable_hashagg"):
            db.session.execute(text(f"SET LOCAL {setting} = off"))
        plan = "\n".join(db.session.scalars(text(f"EXPLAIN {compiled}")))
        role = db.session.scalar(text("SELECT current_user"))
        db.session.rollback()
    assert role == "helpdesk"  # the application role: row-level security in force
    assert "ix_tickets_inbox_assignee" in plan, plan
    assert "tenant_id" in plan


def test_replies_and_notes_come_from_the_rollups_and_today_live(app, signup):
    api, tenant_id, _ = reports_company(app, signup)
    number = api.post("/tickets", {"subject": "Asked", "body": "x",  # typed in for a customer
                                   "requester": {"email": "c@example.com"}}).get_json()["number"]
    assert api.post(f"/tickets/{number}/messages", {"body": "Answer"}).status_code == 201
    assert api.post(f"/tickets/{number}/messages", {"body": "Note", "internal": True}
                    ).status_code == 201
    with app.app_context(), tenant_scope(tenant_id):
        today = rollup.today()
        three_days_ago = utcnow() - timedelta(days=3)
        db.session.execute(update(Message).where(Message.internal.is_(False))
                           .values(created_at=three_days_ago))  # the request and the answer
        db.session.execute(update(Ticket).values(created_at=three_days_ago))
        db.session.commit()
    rebuild(app, tenant_id)
    assert api.post(f"/tickets/{number}/messages", {"body": "Later", "internal": True}
                    ).status_code == 201  # after the rollups: counted live

    def admin(query):
        items = api.get(f"/reports/agents?{query}").get_json()["items"]
        mine = next(item for item in items if item["role"] == "admin")
        return mine["replies"], mine["notes"]

    week = f"from={today - timedelta(days=6)}"
    assert admin(f"{week}&to={today}") == (1, 2)
    assert admin(f"{week}&to={today - timedelta(days=1)}") == (1, 0)
    assert admin(f"from={today}&to={today}") == (0, 2)
    with app.app_context(), tenant_scope(tenant_id):
        stored = db.session.scalars(select(Rollup).where(
            Rollup.span == "day", Rollup.dimension == "author")).all()
    assert {(row.day, row.replies, row.notes) for row in stored} == {
        (today - timedelta(days=3), 1, 0), (today, 0, 1)}
