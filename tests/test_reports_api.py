"""The reports API: bad input, the add-on, rights, CSV round-trip, staff statistics, tenants."""
import csv
import io

import pytest

from tests.conftest import STRONG_PASSWORD, Api
from tests.reports_support import local, rebuild, reports_company, ticket


@pytest.mark.parametrize("query, field", [
    ("from=2025-03-10&to=2025-03-01", "from"),
    ("period=year", "period"),
    ("from=2020-01-01&to=2023-01-02", "to"),
    ("from=2025-02-30", "from"),
    ("from=yesterday", "from"),
    ("to=20250301", "to"),
    ("from=1999-12-31", "from"),
    ("to=9999-12-31", "to"),
])
def test_bad_ranges_are_422(app, signup, query, field):
    api, _tenant_id, _ = reports_company(app, signup)
    response = api.get(f"/reports?{query}")
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]


def test_three_years_exactly_is_allowed(app, signup):
    api, _tenant_id, _ = reports_company(app, signup)
    response = api.get("/reports?period=month&from=2022-01-01&to=2024-12-31")
    assert response.status_code == 200
    assert len(response.get_json()["series"]) == 36


def test_without_the_add_on_it_is_402(app, signup):
    api, _ = signup()  # Standard, no add-ons
    for path in ("/reports", "/reports/agents", "/reports?format=csv"):
        response = api.get(path)
        assert response.status_code == 402, path
        assert response.get_json()["error"]["code"] == "plan_limit"
    assert api.post("/billing/addons", {"addon": "reports"}).status_code in (200, 201)
    assert api.get("/reports").status_code == 200


def test_agents_may_not_read_reports(app, client, signup):
    api, _tenant_id, slug = reports_company(app, signup)
    api.post("/staff", {"name": "Agent", "email": f"agent@{slug}.example", "role": "agent",
                        "password": STRONG_PASSWORD})
    token = client.post("/api/v1/tokens", json={"tenant": slug, "email": f"agent@{slug}.example",
                                                "password": STRONG_PASSWORD}).get_json()["token"]
    agent = Api(client, token)
    assert agent.get("/reports").status_code == 403
    assert agent.get("/reports/agents").status_code == 403


def test_csv_round_trip(app, signup):
    api, tenant_id, _ = reports_company(app, signup, timezone="Asia/Almaty")
    day = local("Asia/Almaty", 2025, 5, 6, 10, 0)
    ticket(app, api, "Кириллица", created_at=day, first_response_at=day.replace(hour=10, minute=30),
           resolved_at=day.replace(hour=11), status="resolved")
    ticket(app, api, created_at=day.replace(day=7))
    rebuild(app, tenant_id)
    query = "period=day&from=2025-05-05&to=2025-05-08"
    report = api.get(f"/reports?{query}").get_json()
    for table in ("series", "by_department", "by_agent", "by_channel"):
        response = api.get(f"/reports?{query}&format=csv&table={table}")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        assert "attachment" in response.headers["Content-Disposition"]
        rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
        assert len(rows) == len(report[table])
        for row, item in zip(rows, report[table], strict=True):
            assert row == {k: "" if v is None else str(v) for k, v in item.items()}
    assert report["series"][1]["first_response_median_s"] == 30 * 60
    assert api.get(f"/reports?{query}&format=csv&table=nope").status_code == 422


def test_staff_statistics(app, signup):
    api, tenant_id, slug = reports_company(app, signup)
    agent_id = api.post("/staff", {"name": "Busy Agent", "email": f"busy@{slug}.example",
                                   "role": "agent", "password": STRONG_PASSWORD}
                        ).get_json()["id"]
    quiet_id = api.post("/staff", {"name": "Quiet Agent", "email": f"quiet@{slug}.example",
                                   "role": "agent", "password": STRONG_PASSWORD}
                        ).get_json()["id"]
    numbers = []
    for n in range(8):
        created = api.post("/tickets", {"subject": f"Load {n}", "body": "x",
                                        "requester": {"email": "c@example.com"}}).get_json()
        numbers.append(created["number"])
        assert api.patch(f"/tickets/{created['number']}",
                         {"assignee_id": agent_id}).status_code == 200
    api.post(f"/tickets/{numbers[0]}/messages", {"body": "Answer"})
    api.post(f"/tickets/{numbers[0]}/messages", {"body": "Note", "internal": True})
    api.patch(f"/tickets/{numbers[1]}", {"status": "resolved"})
    rebuild(app, tenant_id)
    result = api.get("/reports/agents").get_json()
    people = {item["staff_id"]: item for item in result["items"]}
    admin = next(item for item in result["items"] if item["role"] == "admin")
    assert (admin["replies"], admin["notes"]) == (1, 1)
    assert admin["last_active_at"] is not None
    busy, quiet = people[agent_id], people[quiet_id]
    assert busy["open_now"] == 7 and busy["resolved"] == 1 and busy["overloaded"]
    assert quiet["open_now"] == 0 and not quiet["overloaded"]
    assert busy["first_response_median_s"] == 60  # answered within the first minute
    one = api.get(f"/reports/agents/{agent_id}").get_json()
    assert one["staff_id"] == agent_id and one["open_now"] == 7
    assert api.get("/reports/agents/999999999").status_code == 404
    assert api.get("/reports/agents?from=2025-01-02&to=2025-01-01").status_code == 422


def test_another_tenant_sees_none_of_the_figures(app, signup):
    api_a, tenant_a, _ = reports_company(app, signup)
    api_b, tenant_b, _ = reports_company(app, signup)
    staff_a = api_a.get("/staff").get_json()["items"][0]["id"]
    for n in range(3):
        ticket(app, api_a, f"A{n}")
    rebuild(app, tenant_a)
    rebuild(app, tenant_b)
    assert sum(i["received"] for i in api_a.get("/reports").get_json()["series"]) == 3
    report_b = api_b.get("/reports").get_json()
    assert sum(i["received"] for i in report_b["series"]) == 0
    assert report_b["by_channel"] == []
    assert api_b.get(f"/reports/agents/{staff_a}").status_code == 404
    assert staff_a not in [i["staff_id"] for i in api_b.get("/reports/agents").get_json()["items"]]
