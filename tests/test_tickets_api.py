"""The ticket REST API: every endpoint, its JSON, and its errors."""
from tests.test_tickets_support import add_staff, department, new_ticket

TICKET_KEYS = {"number", "subject", "status", "type", "priority", "channel", "department_id",
               "assignee_id", "requester", "tags", "deferred", "created_at",
               "first_response_at", "resolved_at", "closed_at", "messages"}


def test_create_and_get_ticket_json_as_documented(tenant_a):
    body = new_ticket(tenant_a, priority="high", type="incident", tags=["Printer", "fire"])
    assert TICKET_KEYS <= set(body)
    assert body["number"] == 1 and body["status"] == "new" and body["channel"] == "api"
    assert body["priority"] == "high" and body["type"] == "incident"
    assert body["tags"] == ["printer", "fire"]
    assert body["requester"] == {"email": "cus@client.example", "name": "Cus Tomer"}
    [message] = body["messages"]
    assert message["author"] == {"kind": "customer", "name": "Cus Tomer"}
    assert message["body_html"] == "It <b>burns</b>." and message["internal"] is False
    assert message["attachments"] == []
    again = tenant_a.get("/tickets/1").get_json()
    assert again["subject"] == "Printer on fire" and again["messages"][0]["id"] == message["id"]
    assert new_ticket(tenant_a)["number"] == 2
