"""Routing rules through the API, and routing applied when a ticket is created."""
from sqlalchemy import select

from app.extensions import db
from app.tickets.models import Ticket
from tests.crosstenant.rules import as_tenant_of


def _rule(api, name, conditions=None, **actions):
    response = api.post("/routing/rules", {"name": name, "conditions": conditions or {},
                                           "actions": actions})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _new_ticket(api, subject="Hello", email="ann@shop.example.com", body="Hi"):
    response = api.post("/tickets", {"subject": subject, "body": body,
                                     "requester": {"email": email, "name": "Ann"}})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_crud_and_events(tenant_a):
    dept = tenant_a.post("/departments", {"name": "Accounting"}).get_json()["id"]
    created = _rule(tenant_a, "Invoices", {"words": ["invoice"], "senders": ["@Example.com"]},
                    department_id=dept, tags=["Billing"])
    assert created["position"] == 1
    assert created["conditions"] == {"senders": ["@example.com"], "words": ["invoice"],
                                     "words_in": "any"}
    assert created["actions"]["tags"] == ["billing"]
    rid = created["id"]
    patched = tenant_a.patch(f"/routing/rules/{rid}", {"enabled": False})
    assert patched.status_code == 200 and patched.get_json()["enabled"] is False
    patched = tenant_a.patch(f"/routing/rules/{rid}", {"actions": {"priority": "high"}})
    assert patched.get_json()["actions"]["department_id"] is None
    assert tenant_a.get(f"/routing/rules/{rid}").get_json()["actions"]["priority"] == "high"
    actions = [e["action"] for e in tenant_a.get("/events?action=routing_rule.")
               .get_json()["items"]]
    assert {"routing_rule.created", "routing_rule.disabled",
            "routing_rule.updated"} <= set(actions)
    assert tenant_a.delete(f"/routing/rules/{rid}").status_code == 204
    assert tenant_a.get(f"/routing/rules/{rid}").status_code == 404


def test_bad_input_is_422(tenant_a):
    cases = [
        ({"name": "x", "actions": {}}, "actions"),
        ({"name": "x", "actions": {"priority": "asap"}}, "actions.priority"),
        ({"name": "x", "actions": {"type": "rant"}}, "actions.type"),
        ({"name": "x", "conditions": {"channels": ["fax"]}, "actions": {"priority": "low"}},
         "conditions.channels"),
        ({"name": "x", "conditions": {"senders": ["not an address"]},
          "actions": {"priority": "low"}}, "conditions.senders"),
        ({"name": "x", "conditions": {"words_in": "title"}, "actions": {"priority": "low"}},
         "conditions.words_in"),
        ({"name": "x", "conditions": {"custom_fields": {"nope": "1"}},
          "actions": {"priority": "low"}}, "conditions.custom_fields"),
        ({"name": "", "actions": {"priority": "low"}}, "name"),
        ({"name": "x", "actions": {"tags": "a,b"}}, "actions.tags"),
    ]
    for body, field in cases:
        response = tenant_a.post("/routing/rules", body)
        assert response.status_code == 422, (body, response.get_json())
        assert field in response.get_json()["error"]["fields"], (body, response.get_json())


def test_references_of_another_tenant_are_404(tenant_a, tenant_b):
    dept_b = tenant_b.post("/departments", {"name": "Theirs"}).get_json()["id"]
    staff_b = tenant_b.get("/staff").get_json()["items"][0]["id"]
    assert tenant_a.post("/routing/rules", {"name": "x", "actions": {"department_id": dept_b}}
                         ).status_code == 404
    assert tenant_a.post("/routing/rules", {"name": "x", "actions": {"assignee_id": staff_b}}
                         ).status_code == 404
    assert tenant_a.post("/routing/rules", {"name": "x", "actions": {"priority": "low"},
                                            "conditions": {"organization_ids": [999999]}}
                         ).status_code == 404


def test_reorder(tenant_a):
    ids = [_rule(tenant_a, f"r{i}", priority="low")["id"] for i in range(3)]
    response = tenant_a.post("/routing/rules/reorder", {"ids": [ids[2], ids[0], ids[1]]})
    assert response.status_code == 200
    listed = tenant_a.get("/routing/rules").get_json()["items"]
    assert [r["id"] for r in listed] == [ids[2], ids[0], ids[1]]
    assert [r["position"] for r in listed] == [1, 2, 3]
    for bad in ([ids[0], ids[1]], [ids[0], ids[0], ids[1], ids[2]], ids + [123456]):
        response = tenant_a.post("/routing/rules/reorder", {"ids": bad})
        assert response.status_code == 422
        assert "ids" in response.get_json()["error"]["fields"]


def test_dry_run_shows_the_first_matching_rule(tenant_a):
    _rule(tenant_a, "Off", {"words": ["invoice"]}, priority="low")
    off = tenant_a.get("/routing/rules").get_json()["items"][0]["id"]
    tenant_a.patch(f"/routing/rules/{off}", {"enabled": False})
    hit = _rule(tenant_a, "Invoices", {"words": ["invoice"]}, priority="urgent", tags=["money"])
    _rule(tenant_a, "Catch-all", priority="normal")
    body = tenant_a.post("/routing/test", {"subject": "Invoice 7"}).get_json()
    assert body["rule_id"] == hit["id"]
    assert body["result"]["priority"] == "urgent" and body["result"]["tags"] == ["money"]
    assert tenant_a.post("/routing/test", {"subject": "Hi"}).get_json()["rule_name"] == \
        "Catch-all"


def test_creating_a_ticket_applies_routing(app, tenant_a):
    dept = tenant_a.post("/departments", {"name": "Accounting"}).get_json()["id"]
    _rule(tenant_a, "Widget only", {"channels": ["widget"]}, priority="low")
    rule = _rule(tenant_a, "Invoices", {"words": ["invoice"], "senders": ["example.com"]},
                 department_id=dept, priority="high", type="service_request",
                 tags=["billing"])
    ticket = _new_ticket(tenant_a, subject="Invoice 42 is wrong")
    assert ticket["department_id"] == dept
    assert ticket["priority"] == "high"
    assert ticket["type"] == "service_request"
    assert "billing" in ticket["tags"]
    with as_tenant_of(app, tenant_a):
        stored = db.session.scalar(select(Ticket).where(Ticket.number == ticket["number"]))
        assert stored.routing_rule_id == rule["id"]
    other = _new_ticket(tenant_a, subject="Just saying hi")
    assert other["department_id"] is None and other["priority"] == "normal"


def test_a_rule_assignee_who_cannot_take_the_ticket_is_dropped_not_fatal(app, tenant_a):
    dept = tenant_a.post("/departments", {"name": "Accounting"}).get_json()["id"]
    other = tenant_a.post("/departments", {"name": "Sales"}).get_json()["id"]
    staff = tenant_a.post("/staff", {"name": "Sam", "email": "sam@a.example",
                                     "password": "Correct-horse-42", "role": "agent",
                                     "departments": [{"id": dept, "access": "reply"}]}
                          ).get_json()["id"]
    _rule(tenant_a, "To Sam", {"words": ["invoice"]}, department_id=dept, assignee_id=staff)
    # Sam loses the right afterwards: tickets must still be registered.
    assert tenant_a.patch(f"/staff/{staff}", {"departments": [{"id": other,
                                                               "access": "reply"}]}
                          ).status_code == 200
    ticket = _new_ticket(tenant_a, subject="Invoice")
    assert ticket["department_id"] == dept
    assert ticket["assignee_id"] is None


def test_deleting_an_organization_disables_a_rule_that_only_named_it(app, tenant_a):
    from app.customers.models import Organization

    with as_tenant_of(app, tenant_a):
        org = Organization(name="Acme", domains=["acme.example"])
        db.session.add(org)
        db.session.commit()
        org_id = org.id
    rid = _rule(tenant_a, "Acme", {"organization_ids": [org_id]}, priority="urgent")["id"]
    with as_tenant_of(app, tenant_a) as admin:
        from app.customers.service import delete_organization

        delete_organization(actor=admin, organization_id=org_id)
        db.session.commit()
    rule = tenant_a.get(f"/routing/rules/{rid}").get_json()
    assert rule["enabled"] is False
    assert "organization_ids" not in rule["conditions"]


def test_routing_and_sla_apply_together_at_creation(tenant_a):
    import time_machine

    from tests.test_sla_api import _setup, msk

    _setup(tenant_a, normal=(60, 480), urgent=(15, 60))
    _rule(tenant_a, "Outage", {"words": ["down"]}, priority="urgent", type="incident")
    with time_machine.travel(msk(23, 10), tick=False):
        ticket = _new_ticket(tenant_a, subject="Site is down")
    assert ticket["priority"] == "urgent" and ticket["type"] == "incident"
    sla = tenant_a.get(f"/tickets/{ticket['number']}").get_json()["sla"]
    assert sla["first_response_due_at"] == msk(23, 10, 15).isoformat()
    assert sla["resolution_due_at"] == msk(23, 11).isoformat()


def test_deleting_a_department_clears_it_from_rules_and_templates(tenant_a):
    dept = tenant_a.post("/departments", {"name": "Gone soon"}).get_json()["id"]
    rid = _rule(tenant_a, "To it", department_id=dept, priority="high")["id"]
    tid = tenant_a.post("/responses", {"name": "Its reply", "department_id": dept}
                        ).get_json()["id"]
    assert tenant_a.delete(f"/departments/{dept}").status_code == 204
    actions = tenant_a.get(f"/routing/rules/{rid}").get_json()["actions"]
    assert actions["department_id"] is None and actions["priority"] == "high"
    assert tenant_a.get(f"/responses/{tid}").get_json()["department_id"] is None


def test_the_ticket_service_routes_a_widget_ticket_and_sets_due_times(app, tenant_a):
    import time_machine

    from app.tickets.service import create_ticket
    from tests.test_sla_api import _setup, msk

    _setup(tenant_a, normal=(60, 480), high=(30, 240))
    dept = tenant_a.post("/departments", {"name": "Sales"}).get_json()["id"]
    rid = _rule(tenant_a, "Offers", {"channels": ["widget"], "words": ["offer"]},
                department_id=dept, priority="high", tags=["lead"])["id"]
    with time_machine.travel(msk(23, 10), tick=False), as_tenant_of(app, tenant_a):
        ticket = create_ticket(actor=None, channel="widget", subject="Commercial offer",
                               body="Our offer", requester_email="bob@vendor.example")
        assert (ticket.department_id, ticket.priority, ticket.routing_rule_id) == (
            dept, "high", rid)
        assert ticket.tags == ["lead"]
        assert ticket.first_response_due_at == msk(23, 10, 30)
        assert ticket.resolution_due_at == msk(23, 14)
        assert ticket.sla_breached is False
