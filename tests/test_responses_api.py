"""Response templates through the API: CRUD, validation, department visibility, render."""
from tests.conftest import STRONG_PASSWORD, Api
from tests.crosstenant.rules import insert_ticket


def _agent(client, api, email="agent@a.example", departments=()):
    body = {"name": "Alex Agent", "email": email, "password": STRONG_PASSWORD, "role": "agent",
            "departments": [{"id": d, "access": "reply"} for d in departments]}
    response = api.post("/staff", body)
    assert response.status_code == 201, response.get_json()
    token = Api(client).post("/tokens", {"tenant": _slug(api), "email": email,
                                         "password": STRONG_PASSWORD})
    assert token.status_code == 201, token.get_json()
    return Api(client, token.get_json()["token"])


def _slug(api):
    return api.get("/tenant").get_json()["slug"]


def test_create_get_update_delete(tenant_a):
    created = tenant_a.post("/responses", {
        "name": "Greeting", "body": "<p onclick='x'>Hi {{customer.name}}<script>1</script></p>",
        "set_status": "pending", "set_priority": "high"})
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["body"] == "<p>Hi {{customer.name}}</p>"
    assert body["actions"] == {"status": "pending", "priority": "high"}
    assert body["problems"] == []
    rid = body["id"]

    patched = tenant_a.patch(f"/responses/{rid}", {"body": "Hi {{customer.nme}}",
                                                   "set_status": None})
    assert patched.status_code == 200
    assert patched.get_json()["problems"] == ["customer.nme"]
    assert patched.get_json()["actions"] == {"priority": "high"}
    assert tenant_a.get(f"/responses/{rid}").get_json()["name"] == "Greeting"

    events = tenant_a.get("/events?action=response_template.").get_json()["items"]
    assert {e["action"] for e in events} >= {"response_template.created",
                                             "response_template.updated"}
    assert tenant_a.delete(f"/responses/{rid}").status_code == 204
    assert tenant_a.get(f"/responses/{rid}").status_code == 404


def test_bad_input_is_422_with_fields(tenant_a):
    response = tenant_a.post("/responses", {"name": "", "set_status": "sleeping",
                                            "set_priority": "asap"})
    assert response.status_code == 422
    assert "name" in response.get_json()["error"]["fields"]
    response = tenant_a.post("/responses", {"name": "X", "set_status": "sleeping",
                                            "set_priority": "asap"})
    fields = response.get_json()["error"]["fields"]
    assert response.status_code == 422
    assert set(fields) == {"set_status", "set_priority"}
    assert "pending" in fields["set_status"]
    assert tenant_a.post("/responses", {"name": "X", "department_id": "abc"}).status_code == 422


def test_duplicate_name_is_409(tenant_a):
    assert tenant_a.post("/responses", {"name": "Same"}).status_code == 201
    response = tenant_a.post("/responses", {"name": "same"})
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "conflict"


def test_another_tenants_department_or_assignee_is_404(tenant_a, tenant_b):
    department = tenant_b.post("/departments", {"name": "Theirs"}).get_json()["id"]
    staff_b = tenant_b.get("/staff").get_json()["items"][0]["id"]
    assert tenant_a.post("/responses", {"name": "X", "department_id": department}
                         ).status_code == 404
    assert tenant_a.post("/responses", {"name": "X", "set_assignee_id": staff_b}
                         ).status_code == 404


def test_agents_see_shared_and_their_departments_templates_only(client, tenant_a):
    mine = tenant_a.post("/departments", {"name": "Tier one"}).get_json()["id"]
    other = tenant_a.post("/departments", {"name": "Accounts"}).get_json()["id"]
    tenant_a.post("/responses", {"name": "Shared hello", "body": "hello all"})
    tenant_a.post("/responses", {"name": "Support hello", "body": "hello",
                                 "department_id": mine})
    hidden = tenant_a.post("/responses", {"name": "Billing hello", "body": "invoice",
                                          "department_id": other}).get_json()["id"]
    agent = _agent(client, tenant_a, departments=[mine])

    names = [t["name"] for t in agent.get("/responses?q=hello").get_json()["items"]]
    assert names == ["Shared hello", "Support hello"]
    assert agent.get("/responses?q=invoice").get_json()["items"] == []
    assert agent.get(f"/responses/{hidden}").status_code == 404
    # The picker for a department lists that department's own templates first.
    names = [t["name"] for t in agent.get(f"/responses?department_id={mine}").get_json()["items"]]
    assert names == ["Support hello", "Shared hello"]
    # An agent uses templates but does not edit them.
    assert agent.post("/responses", {"name": "Mine"}).status_code == 403
    admin_names = [t["name"] for t in tenant_a.get("/responses").get_json()["items"]]
    assert "Billing hello" in admin_names


def test_render_for_a_ticket(app, tenant_a):
    number = insert_ticket(app, tenant_a, subject="Printer <b>on fire</b>",
                           custom_fields={"order_id": "A-17"})
    rid = tenant_a.post("/responses", {
        "name": "Reply", "set_status": "pending",
        "body": "<p>Dear {{customer.name}}, re #{{ticket.number}} “{{ticket.subject}}” "
                "order {{ticket.custom.order_id}} {{ticket.custom.missing}} {{bogus}}"
                " — {{agent.name}}</p>"}).get_json()["id"]
    response = tenant_a.post(f"/responses/{rid}/render", {"ticket_number": number})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["html"] == ("<p>Dear Jane Customer, re #1 “Printer &lt;b&gt;on fire&lt;/b&gt;” "
                            "order A-17   — Ada Admin</p>")
    assert body["actions"] == {"status": "pending"}
    assert "ticket.custom.missing" in body["missing"] and "bogus" in body["missing"]


def test_render_errors(app, tenant_a, tenant_b):
    rid = tenant_a.post("/responses", {"name": "R", "body": "x"}).get_json()["id"]
    assert tenant_a.post(f"/responses/{rid}/render", {}).status_code == 422
    assert tenant_a.post(f"/responses/{rid}/render", {"ticket_number": 0}).status_code == 422
    assert tenant_a.post(f"/responses/{rid}/render", {"ticket_number": 99}).status_code == 404
    theirs = insert_ticket(app, tenant_b)
    assert tenant_a.post(f"/responses/{rid}/render", {"ticket_number": theirs}
                         ).status_code == 404


def test_an_agent_cannot_render_for_a_ticket_of_another_department(app, client, tenant_a):
    mine = tenant_a.post("/departments", {"name": "Tier one"}).get_json()["id"]
    other = tenant_a.post("/departments", {"name": "Accounts"}).get_json()["id"]
    agent = _agent(client, tenant_a, departments=[mine])
    rid = tenant_a.post("/responses", {"name": "Shared", "body": "#{{ticket.number}}"}
                        ).get_json()["id"]
    visible = insert_ticket(app, tenant_a, department_id=mine)
    hidden = insert_ticket(app, tenant_a, department_id=other)
    response = agent.post(f"/responses/{rid}/render", {"ticket_number": visible})
    assert response.status_code == 200 and response.get_json()["html"] == f"#{visible}"
    assert agent.post(f"/responses/{rid}/render", {"ticket_number": hidden}).status_code == 404
