from tests.conftest import STRONG_PASSWORD


def test_admin_changes_company_settings(tenant_a):
    response = tenant_a.patch("/tenant", {"name": "Renamed", "language": "kk",
                                          "timezone": "Asia/Almaty"})
    assert response.status_code == 200
    assert response.get_json()["timezone"] == "Asia/Almaty"
    assert tenant_a.get("/tenant").get_json()["name"] == "Renamed"
    event = tenant_a.get("/events?action=tenant.updated").get_json()["items"][0]
    assert event["data"]["before"]["language"] == "en"
    assert event["data"]["after"]["language"] == "kk"


def test_bad_settings_are_422(tenant_a):
    response = tenant_a.patch("/tenant", {"timezone": "Mars/Olympus", "language": "de"})
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"timezone", "language"}


def test_company_page(client, signup):
    api, body = signup()
    slug = body["tenant"]["slug"]
    client.post(f"/t/{slug}/login", data={"email": f"admin@{slug}.example",
                                          "password": STRONG_PASSWORD})
    response = client.post("/app/company/", data={"name": "Page Co", "language": "ru",
                                                   "timezone": "Europe/Moscow"})
    assert response.status_code == 302
    assert api.get("/tenant").get_json()["name"] == "Page Co"
