"""The admin's ticket settings page: custom fields and attachment rules."""
from tests.conftest import STRONG_PASSWORD


def _login(client, api, email=None):
    slug = api.get("/tenant").get_json()["slug"]
    client.post(f"/t/{slug}/login", data={"email": email or f"admin@{slug}.example",
                                          "password": STRONG_PASSWORD})


def _add(client, **values):
    data = {"form": "field", "field-key": "contract", "field-label": "Contract",
            "field-kind": "select", "field-options": "Basic\nPremium", "field-position": "0"}
    data.update({f"field-{k}": v for k, v in values.items()})
    return client.post("/app/ticket-settings/", data=data)


def test_admin_defines_a_custom_field_used_by_tickets(client, tenant_a):
    _login(client, tenant_a)
    assert _add(client).status_code == 302
    definition = tenant_a.get("/custom-fields").get_json()["items"][0]
    assert definition["key"] == "contract" and definition["options"] == ["Basic", "Premium"]
    edited = client.post(f"/app/ticket-settings/fields/{definition['id']}", data={
        "label": "Contract level", "options": "Basic\nPremium\nGold", "active": "y",
        "position": "1"})
    assert edited.status_code == 302
    after = tenant_a.get(f"/custom-fields/{definition['id']}").get_json()
    assert after["label"] == "Contract level" and after["options"][-1] == "Gold"
    ticket = tenant_a.post("/tickets", {"subject": "Upgrade", "body": "Please",
                                        "requester": {"email": "c@x.example"},
                                        "custom_fields": {"contract": "Gold"}})
    assert ticket.status_code == 201, ticket.get_json()
    assert client.post(f"/app/ticket-settings/fields/{definition['id']}/delete").status_code == 302
    assert tenant_a.get("/custom-fields").get_json()["items"] == []


def test_bad_field_definitions_are_shown_on_the_form(client, tenant_a):
    _login(client, tenant_a)
    page = _add(client, key="Bad Key").get_data(as_text=True)
    assert "lowercase letters" in page
    page = _add(client, options="").get_data(as_text=True)
    assert "at least one option" in page
    assert tenant_a.get("/custom-fields").get_json()["items"] == []


def test_admin_changes_attachment_rules(client, tenant_a):
    _login(client, tenant_a)
    response = client.post("/app/ticket-settings/", data={
        "form": "files", "files-max_file_mb": "5", "files-max_files": "3",
        "files-allowed_types": "image/png\napplication/pdf"})
    assert response.status_code == 302
    rules = tenant_a.get("/settings/attachments").get_json()
    assert rules["max_file_bytes"] == 5 * 1024 * 1024 and rules["max_files"] == 3
    assert rules["allowed_types"] == ["application/pdf", "image/png"]
    bad = client.post("/app/ticket-settings/", data={
        "form": "files", "files-max_file_mb": "5", "files-max_files": "3",
        "files-allowed_types": "pictures"})
    assert "MIME types" in bad.get_data(as_text=True)
    api_bad = tenant_a.patch("/settings/attachments", {"allowed_types": ["not a type"]})
    assert api_bad.status_code == 422


def test_agents_cannot_open_ticket_settings(client, tenant_a):
    tenant_a.post("/staff", {"name": "Agent", "email": "agent@x.example", "role": "agent",
                             "password": STRONG_PASSWORD})
    _login(client, tenant_a, "agent@x.example")
    assert client.get("/app/ticket-settings/").status_code == 403
