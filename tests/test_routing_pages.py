"""Routing rule pages: create, list in order, move, enable/disable, edit, delete."""
from tests.test_responses_pages import _login


def _form(**over):
    return {"name": "Invoices", "enabled": "y", "channels": ["email"],
            "senders": "example.com\nbob@x.example", "words": "invoice", "words_in": "any",
            "custom_fields": "", "department_id": "", "assignee_id": "", "priority": "high",
            "type": "", "tags": "billing, money"} | over


def test_rule_pages(client, tenant_a):
    _login(client, tenant_a)
    assert client.get("/app/routing/new").status_code == 200
    assert client.post("/app/routing/new", data=_form()).status_code == 302
    assert client.post("/app/routing/new", data=_form(name="Second", words="",
                                                      senders="")).status_code == 302
    rules = tenant_a.get("/routing/rules").get_json()["items"]
    assert [r["name"] for r in rules] == ["Invoices", "Second"]
    assert rules[0]["conditions"]["senders"] == ["example.com", "bob@x.example"]
    assert rules[0]["actions"]["tags"] == ["billing", "money"]
    page = client.get("/app/routing/").get_data(as_text=True)
    assert page.index("Invoices") < page.index("Second")

    second = rules[1]["id"]
    assert client.post(f"/app/routing/{second}/move", data={"direction": "up"}
                       ).status_code == 302
    assert [r["name"] for r in tenant_a.get("/routing/rules").get_json()["items"]] == \
        ["Second", "Invoices"]
    assert client.post(f"/app/routing/{second}/toggle").status_code == 302
    assert tenant_a.get(f"/routing/rules/{second}").get_json()["enabled"] is False

    first = rules[0]["id"]
    assert client.get(f"/app/routing/{first}").status_code == 200
    response = client.post(f"/app/routing/{first}", data=_form(custom_fields="broken line"))
    assert response.status_code == 200  # shown again with the error
    assert client.post(f"/app/routing/{first}", data=_form(priority="urgent")
                       ).status_code == 302
    assert tenant_a.get(f"/routing/rules/{first}").get_json()["actions"]["priority"] == "urgent"
    assert client.post(f"/app/routing/{first}/delete").status_code == 302
    assert tenant_a.get(f"/routing/rules/{first}").status_code == 404


def test_no_action_is_an_error_on_the_form(client, tenant_a):
    _login(client, tenant_a)
    response = client.post("/app/routing/new", data=_form(priority="", tags=""))
    assert response.status_code == 200
    assert tenant_a.get("/routing/rules").get_json()["items"] == []
