"""SLA settings page: targets, business hours, holidays, and errors shown on the page."""
from tests.test_responses_pages import _login


def test_settings_page(client, tenant_a):
    _login(client, tenant_a)
    assert client.get("/app/sla/").status_code == 200
    response = client.post("/app/sla/policies", data={
        "first-normal": "1", "resolution-normal": "8", "first-urgent": "0.25",
        "resolution-urgent": "2"})
    assert response.status_code == 302
    items = tenant_a.get("/sla/policies").get_json()["items"]
    assert items == [
        {"priority": "normal", "first_response_minutes": 60, "resolution_minutes": 480},
        {"priority": "urgent", "first_response_minutes": 15, "resolution_minutes": 120}]
    page = client.get("/app/sla/").get_data(as_text=True)
    assert 'name="first-urgent" inputmode="decimal" size="6" value="0.25"' in page

    data = {"timezone": "Asia/Almaty", "open-0": "1", "from-0": "08:00", "to-0": "17:00",
            "open-5": "1", "from-5": "10:00", "to-5": "14:00"}
    assert client.post("/app/sla/hours", data=data).status_code == 302
    calendar = tenant_a.get("/sla/calendar").get_json()
    assert calendar["timezone"] == "Asia/Almaty"
    assert calendar["hours"]["0"] == [["08:00", "17:00"]]
    assert calendar["hours"]["5"] == [["10:00", "14:00"]]
    assert calendar["hours"]["1"] == []

    assert client.post("/app/sla/holidays", data={"day": "2027-01-01", "name": "New Year"}
                       ).status_code == 302
    holiday = tenant_a.get("/sla/holidays").get_json()["items"][0]
    assert "New Year" in client.get("/app/sla/").get_data(as_text=True)
    assert client.post(f"/app/sla/holidays/{holiday['id']}/delete").status_code == 302
    assert tenant_a.get("/sla/holidays").get_json()["items"] == []


def test_errors_are_shown_not_500(client, tenant_a):
    _login(client, tenant_a)
    response = client.post("/app/sla/policies", data={"first-high": "abc",
                                                      "resolution-high": "2"})
    assert response.status_code == 422
    assert "Enter both targets" in response.get_data(as_text=True)
    response = client.post("/app/sla/policies", data={"first-high": "3",
                                                      "resolution-high": "1"})
    assert response.status_code == 422
    assert "before the first response" in response.get_data(as_text=True)
    response = client.post("/app/sla/hours", data={"timezone": "UTC", "open-0": "1",
                                                   "from-0": "18:00", "to-0": "09:00"})
    assert response.status_code == 422
    assert client.post("/app/sla/holidays", data={"day": "soon"}).status_code == 422
    assert tenant_a.get("/sla/policies").get_json()["items"] == []
