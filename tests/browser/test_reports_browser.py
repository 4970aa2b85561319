"""The dashboard and the report page in a real browser: charts drawn, a table under each,
at desktop width and at 390 px (screenshots kept for a human to look at)."""
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

from app.db_types import utcnow
from app.extensions import db
from app.reports import rollup
from app.tickets.creation import create_ticket
from app.tickets.models import Ticket
from billing.service import change_plan
from tests.browser.conftest import screenshot
from tests.browser.test_phone_layout import assert_fits

pytestmark = [pytest.mark.browser, pytest.mark.real_commits]


def _history(company) -> None:
    """Pro (reports included), and three weeks of tickets, some resolved, in the rollups."""
    from app.staff.models import Staff

    def make():
        admin = db.session.get(Staff, company.admin_id)
        change_plan(actor=admin, tenant_id=company.tenant_id, plan_name="pro")
        now = utcnow()
        for n in range(30):
            ticket = create_ticket(actor=admin, channel="staff", subject=f"Request {n}",
                                   body="Help", requester_email=f"c{n}@example.com")
            created = now - timedelta(days=n % 21, hours=n % 5)
            values = {"created_at": created}
            if n % 3:
                values |= {"first_response_at": created + timedelta(minutes=20 + n),
                           "resolved_at": created + timedelta(hours=3 + n),
                           "status": "resolved"}
            db.session.execute(update(Ticket).where(Ticket.id == ticket.id).values(**values))
        rollup.rebuild()

    company.run(make)


def test_dashboard_and_report_render_charts_with_tables(page, company):
    _history(company)
    company.login(page)
    page.goto("/app/")
    expect(page.get_by_test_id("dash-received")).to_be_visible()
    expect(page.get_by_test_id("dash-backlog")).to_contain_text("10")
    expect(page.locator("svg.spark")).to_have_count(2)
    screenshot(page, "reports-dashboard")

    page.get_by_role("link", name="Reports").first.click()
    page.wait_for_url("**/app/reports/**")
    page.select_option("select[name=period]", "week")
    page.get_by_role("button", name="Show").click()
    charts = page.locator("section.report-chart")
    expect(charts.first).to_be_visible()
    assert charts.count() >= 7
    for n in range(charts.count()):
        section = charts.nth(n)
        if section.get_attribute("data-testid") == "chart-forecast" and \
                section.locator("svg.chart").count() == 0:
            continue  # too little history: a note instead of a chart
        expect(section.locator("svg.chart")).to_have_count(1)
        expect(section.locator("table")).to_have_count(1)
        assert section.locator("svg.chart").bounding_box()["height"] > 50
    expect(page.get_by_test_id("chart-forecast")).to_contain_text("Next 7 days")
    volume = page.get_by_test_id("chart-volume")
    expect(volume.locator("tbody tr").first).to_be_visible()
    expect(volume.locator("polyline").first).to_be_attached()
    screenshot(page, "reports-page")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert_fits(page, "/app/reports/")
    screenshot(page, "reports-page-390")
    page.goto("/app/")
    assert_fits(page, "/app/")
    page.goto("/app/reports/agents")
    expect(page.get_by_test_id("agents")).to_be_visible()
    assert_fits(page, "/app/reports/agents")
