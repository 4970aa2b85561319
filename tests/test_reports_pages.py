"""The report pages, the dashboard for admins and for agents, and keeping rollups current."""
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from app.db_types import utcnow
from app.extensions import db
from app.reports import jobs, rollup
from app.reports.dashboard import admin_dashboard
from app.staff.models import Staff
from tenants.context import tenant_scope
from tests.conftest import STRONG_PASSWORD
from tests.reports_support import rebuild, reports_company, ticket


def login(client, slug: str, email: str | None = None) -> None:
    response = client.post(f"/t/{slug}/login", data={"email": email or f"admin@{slug}.example",
                                                     "password": STRONG_PASSWORD})
    assert response.status_code == 302


def test_report_page_has_charts_with_tables_and_csv(app, client, signup):
    api, tenant_id, slug = reports_company(app, signup, language="ru")
    for n in range(3):
        ticket(app, api, f"R{n}")
    rebuild(app, tenant_id)
    login(client, slug)
    page = client.get("/app/reports/?period=week")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.count('<svg class="chart"') >= 6
    assert html.count("<table") >= html.count('<svg class="chart"')  # a table under each
    assert "Поступило" in html or "Получено" in html or "Received" not in html
    csv = client.get("/app/reports/export.csv?table=by_channel&period=week")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    assert client.get("/app/reports/export.csv?table=secret").status_code == 422


def test_bad_range_on_the_page_is_422_and_keeps_what_was_typed(app, client, signup):
    _api, _tenant_id, slug = reports_company(app, signup)
    login(client, slug)
    page = client.get("/app/reports/?from=2025-05-09&to=2025-05-01")
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert 'value="2025-05-09"' in html and "The start is after the end." in html
    assert client.get("/app/reports/agents?from=nonsense").status_code == 422


def test_without_the_add_on_the_page_explains_how_to_get_it(app, client, signup):
    _api, body = signup()
    login(client, body["tenant"]["slug"])
    response = client.get("/app/reports/")
    assert response.status_code == 302 and "/locked" in response.location or \
        "billing" in response.location


def test_staff_activity_page_flags_the_overloaded(app, client, signup):
    api, tenant_id, slug = reports_company(app, signup)
    agent_id = api.post("/staff", {"name": "Olga Overloaded", "email": f"o@{slug}.example",
                                   "role": "agent", "password": STRONG_PASSWORD}
                        ).get_json()["id"]
    for n in range(8):
        number = api.post("/tickets", {"subject": f"L{n}", "body": "x",
                                       "requester": {"email": "c@example.com"}}
                          ).get_json()["number"]
        api.patch(f"/tickets/{number}", {"assignee_id": agent_id})
    login(client, slug)
    html = client.get("/app/reports/agents").get_data(as_text=True)
    assert 'data-testid="overloaded"' in html and "Olga Overloaded" in html
    assert client.get(f"/app/reports/agents/{agent_id}").status_code == 200


def test_admin_dashboard_and_agent_queue(app, client, signup):
    api, tenant_id, slug = reports_company(app, signup)
    agent_id = api.post("/staff", {"name": "Quinn Queue", "email": f"q@{slug}.example",
                                   "role": "agent", "password": STRONG_PASSWORD}
                        ).get_json()["id"]
    mine = api.post("/tickets", {"subject": "Printer on fire", "body": "x",
                                 "requester": {"email": "c@example.com"}}).get_json()["number"]
    api.patch(f"/tickets/{mine}", {"assignee_id": agent_id})
    done = api.post("/tickets", {"subject": "Done", "body": "x",
                                 "requester": {"email": "c@example.com"}}).get_json()["number"]
    api.patch(f"/tickets/{done}", {"status": "resolved"})
    ticket(app, api, "Old", created_at=utcnow() - timedelta(days=3))
    login(client, slug)
    html = client.get("/app/").get_data(as_text=True)
    for testid in ("dash-received", "dash-resolved", "dash-backlog", "dash-breach",
                   "dash-deferred", "dash-spark", "balance", "days-left"):
        assert f'data-testid="{testid}"' in html, testid
    assert '<svg class="spark"' in html
    client.post("/logout")
    login(client, slug, f"q@{slug}.example")
    agent_home = client.get("/app/").get_data(as_text=True)
    assert 'data-testid="my-queue"' in agent_home and "Printer on fire" in agent_home
    assert 'data-testid="dash-backlog"' not in agent_home


def test_dashboard_figures(app, signup):
    api, tenant_id, _ = reports_company(app, signup)
    for n in range(2):
        api.post("/tickets", {"subject": f"Today {n}", "body": "x",
                              "requester": {"email": "c@example.com"}})
    ticket(app, api, "Three days ago", created_at=utcnow() - timedelta(days=3))
    with app.app_context(), tenant_scope(tenant_id):
        admin = db.session.scalar(select(Staff).where(Staff.role == "admin"))
        figures = admin_dashboard(actor=admin)
    assert figures["received_today"] == 2 and figures["resolved_today"] == 0
    assert figures["backlog"] == 3
    balance = Decimal(api.get("/tenant").get_json()["balance"])
    assert figures["days_left"] == int(balance // 10)  # Pro costs 10.00 a day
    spark = figures["spark"]
    assert len(spark) == 14 and spark[-1]["received"] == 2 and spark[-4]["received"] == 1


def test_a_change_marks_its_days_and_the_job_refreshes_them(app, signup):
    api, tenant_id, _ = reports_company(app, signup)
    rebuild(app, tenant_id)
    redis = app.extensions["redis"]
    redis.delete(jobs.MARKED)
    number = api.post("/tickets", {"subject": "Fresh", "body": "x",
                                   "requester": {"email": "c@example.com"}}).get_json()["number"]
    assert str(tenant_id).encode() in redis.smembers(jobs.MARKED)
    assert api.get("/reports").get_json()["series"][-1]["received"] == 0  # not refreshed yet
    with app.app_context():
        jobs.refresh_marked_job()
    assert api.get("/reports").get_json()["series"][-1]["received"] == 1
    assert redis.scard(jobs.MARKED) == 0
    api.patch(f"/tickets/{number}", {"status": "resolved"})
    api.patch(f"/tickets/{number}", {"status": "open"})  # reopened
    with app.app_context():
        jobs.refresh_marked_job()
    today = api.get("/reports").get_json()["series"][-1]
    assert (today["resolved"], today["reopened"], today["backlog"]) == (0, 1, 1)
    with app.app_context(), tenant_scope(tenant_id):
        assert rollup.is_built()
