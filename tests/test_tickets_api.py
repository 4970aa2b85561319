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
    # The body is plain text unless declared HTML: escaped once, kept whole.
    assert message["body_html"] == "<p>It &lt;b&gt;burns&lt;/b&gt;.</p>"
    assert message["internal"] is False
    assert message["attachments"] == []
    again = tenant_a.get("/tickets/1").get_json()
    assert again["subject"] == "Printer on fire" and again["messages"][0]["id"] == message["id"]
    assert new_ticket(tenant_a)["number"] == 2


def test_create_errors(tenant_a, tenant_b):
    bad = tenant_a.post("/tickets", {"subject": "x", "body": "y", "status": "waiting",
                                     "requester": {"email": "a@b.example"}})
    assert bad.status_code == 422
    error = bad.get_json()["error"]
    assert error["code"] == "validation_error" and "status" in error["fields"]
    assert "on_hold" in error["fields"]["status"]
    for field, value in (("type", "bug"), ("priority", "critical")):
        response = tenant_a.post("/tickets", {"subject": "x", field: value,
                                              "requester": {"email": "a@b.example"}})
        assert response.status_code == 422 and field in response.get_json()["error"]["fields"]
    missing = tenant_a.post("/tickets", {"body": "no subject or requester"})
    assert missing.status_code == 422
    assert {"subject", "requester"} <= set(missing.get_json()["error"]["fields"])
    blank = tenant_a.post("/tickets", {"subject": "  ", "requester": {"email": "a@b.example"}})
    assert blank.status_code == 422 and "subject" in blank.get_json()["error"]["fields"]
    email = tenant_a.post("/tickets", {"subject": "x", "requester": {"email": "nope"}})
    assert email.status_code == 422 and "requester.email" in email.get_json()["error"]["fields"]
    foreign = tenant_b.get("/departments").get_json()["items"][0]["id"]
    other = tenant_a.post("/tickets", {"subject": "x", "department_id": foreign,
                                       "requester": {"email": "a@b.example"}})
    assert other.status_code == 404
    nobody = tenant_a.post("/tickets", {"subject": "x", "assignee_id": 99999999,
                                        "requester": {"email": "a@b.example"}})
    assert nobody.status_code == 404
    assert tenant_a.get("/tickets").get_json()["items"] == []  # nothing half-created


def test_list_filters_search_and_cursor(tenant_a):
    for i in range(5):
        new_ticket(tenant_a, subject=f"Ticket {i} about {'invoices' if i % 2 else 'login'}",
                   priority="high" if i == 4 else "normal",
                   requester={"email": f"r{i % 2}@client.example"})
    first = tenant_a.get("/tickets?limit=2").get_json()
    assert [t["number"] for t in first["items"]] == [5, 4] and first["next_cursor"]
    assert "messages" not in first["items"][0]
    second = tenant_a.get(f"/tickets?limit=2&cursor={first['next_cursor']}").get_json()
    assert [t["number"] for t in second["items"]] == [3, 2]
    assert [t["number"] for t in tenant_a.get("/tickets?priority=high").get_json()["items"]] \
        == [5]
    by_requester = tenant_a.get("/tickets?requester_email=r1@client.example").get_json()
    assert [t["number"] for t in by_requester["items"]] == [4, 2]
    found = tenant_a.get("/tickets?q=invoice").get_json()["items"]
    assert [t["number"] for t in found] == [4, 2]
    assert tenant_a.get("/tickets?status=new,open").status_code == 200
    bad = tenant_a.get("/tickets?status=done")
    assert bad.status_code == 422 and "resolved" in bad.get_json()["error"]["fields"]["status"]
    assert tenant_a.get("/tickets?cursor=%%%").status_code == 422
    assert tenant_a.get("/tickets?limit=1000").status_code == 422
    assert tenant_a.get("/tickets?deleted=maybe").status_code == 422


def test_patch_changes_and_records_history(tenant_a):
    new_ticket(tenant_a)
    support = tenant_a.get("/departments").get_json()["items"][0]["id"]
    admin_id = tenant_a.get("/staff").get_json()["items"][0]["id"]
    response = tenant_a.patch("/tickets/1", {"status": "resolved", "priority": "urgent",
                                             "type": "change_request", "tags": ["a", "A", "b"],
                                             "department_id": support,
                                             "assignee_id": admin_id})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "resolved" and body["resolved_at"] and body["closed_at"] is None
    assert (body["priority"], body["type"], body["tags"]) == ("urgent", "change_request",
                                                              ["a", "b"])
    assert body["department_id"] == support and body["assignee_id"] == admin_id
    closed = tenant_a.patch("/tickets/1", {"status": "closed"}).get_json()
    assert closed["closed_at"] and closed["resolved_at"] == body["resolved_at"]
    history = tenant_a.get("/tickets/1/events").get_json()["items"]
    actions = [e["action"] for e in history]
    assert actions[0] == "ticket.created" and "ticket.priority_changed" in actions
    change = next(e for e in history if e["action"] == "ticket.priority_changed")
    assert change["data"]["before"] == "normal" and change["data"]["after"] == "urgent"
    assert change["actor"]["type"] == "staff"
    bad = tenant_a.patch("/tickets/1", {"priority": "asap"})
    assert bad.status_code == 422 and "urgent" in bad.get_json()["error"]["fields"]["priority"]
    assert tenant_a.patch("/tickets/999", {"priority": "low"}).status_code == 404


def test_reply_note_and_collision(tenant_a):
    ticket = new_ticket(tenant_a)
    version = ticket["version"]
    note = tenant_a.post("/tickets/1/messages", {"body": "<p>internal</p>", "internal": True})
    assert note.status_code == 201 and note.get_json()["message"]["internal"] is True
    assert note.get_json()["ticket"]["first_response_at"] is None
    reply = tenant_a.post("/tickets/1/messages", {"body": "Hello <script>x</script>there",
                                                  "body_format": "html",
                                                  "seen_version": version})
    assert reply.status_code == 201
    body = reply.get_json()
    assert body["message"]["body_html"] == "Hello there"  # declared HTML is sanitized
    assert body["message"]["author"]["kind"] == "staff"
    assert body["ticket"]["first_response_at"] and body["ticket"]["status"] == "open"
    # A colleague's view from before that reply collides; the text is returned, not stored.
    held = tenant_a.post("/tickets/1/messages", {"body": "late", "seen_version": version})
    assert held.status_code == 201  # one's own reply is no collision
    assert tenant_a.post("/tickets/1/messages", {"body": ""}).status_code == 422
    assert tenant_a.post("/tickets/1/messages", {"body": "x",
                                                 "status": "nope"}).status_code == 422


def test_collision_between_two_agents(tenant_a, client):
    support = tenant_a.get("/departments").get_json()["items"][0]["id"]
    colleague, _ = add_staff(tenant_a, client, access={support: "reply"}, name="Colleague")
    ticket = new_ticket(tenant_a, department_id=support)
    seen = ticket["version"]
    assert colleague.post("/tickets/1/messages", {"body": "I replied first",
                                                  "seen_version": seen}).status_code == 201
    held = tenant_a.post("/tickets/1/messages", {"body": "My reply", "seen_version": seen})
    assert held.status_code == 409
    error = held.get_json()["error"]
    assert error["code"] == "collision"
    assert error["changes"]["messages"][0]["excerpt"] == "I replied first"
    assert error["changes"]["messages"][0]["author"]["name"] == "Colleague"
    assert len(tenant_a.get("/tickets/1").get_json()["messages"]) == 2
    forced = tenant_a.post("/tickets/1/messages", {"body": "My reply", "seen_version": seen,
                                                   "force": True})
    assert forced.status_code == 201


def test_trash_restore_archive(tenant_a):
    new_ticket(tenant_a)
    assert tenant_a.delete("/tickets/1").status_code == 204
    assert tenant_a.get("/tickets").get_json()["items"] == []
    trashed = tenant_a.get("/tickets?deleted=true").get_json()["items"]
    assert [t["number"] for t in trashed] == [1] and trashed[0]["deleted"] is True
    assert tenant_a.post("/tickets/1/messages", {"body": "hi"}).status_code == 409
    restored = tenant_a.post("/tickets/1/restore")
    assert restored.status_code == 200 and restored.get_json()["deleted"] is False
    assert tenant_a.post("/tickets/1/archive").status_code == 409  # not closed yet
    tenant_a.patch("/tickets/1", {"status": "closed"})
    archived = tenant_a.post("/tickets/1/archive").get_json()
    assert archived["archived"] is True
    assert tenant_a.get("/tickets").get_json()["items"] == []
    assert len(tenant_a.get("/tickets?archived=true").get_json()["items"]) == 1
    assert len(tenant_a.get("/tickets?q=printer").get_json()["items"]) == 1
    assert tenant_a.post("/tickets/1/unarchive").get_json()["archived"] is False


def test_assign_transfer_escalate_endpoints(tenant_a, client):
    support = tenant_a.get("/departments").get_json()["items"][0]["id"]
    second = department(tenant_a, "Second line")
    expert_api, expert = add_staff(tenant_a, client, access={second: "reply"}, name="Expert")
    new_ticket(tenant_a, department_id=support)
    wrong = tenant_a.post("/tickets/1/assign", {"assignee_id": expert["id"]})
    assert wrong.status_code == 422 and "assignee_id" in wrong.get_json()["error"]["fields"]
    assert tenant_a.post("/tickets/1/assign", {}).status_code == 422
    moved = tenant_a.post("/tickets/1/transfer", {"department_id": second,
                                                  "assignee_id": expert["id"],
                                                  "comment": "for you"})
    assert moved.status_code == 200
    body = moved.get_json()
    assert body["department_id"] == second and body["assignee_id"] == expert["id"]
    assert body["messages"][-1]["internal"] and "for you" in body["messages"][-1]["body_html"]
    assert tenant_a.post("/tickets/1/transfer", {}).status_code == 422
    assert tenant_a.post("/tickets/1/transfer", {"department_id": 999999}).status_code == 404
    escalated = expert_api.post("/tickets/1/escalate", {"comment": "beyond me"}).get_json()
    assert escalated["escalation_level"] == 2
    assert tenant_a.post("/tickets/1/escalate", {}).get_json()["escalation_level"] == 3
    assert tenant_a.post("/tickets/1/escalate", {}).status_code == 409
    unassigned = tenant_a.post("/tickets/1/assign", {"assignee_id": None}).get_json()
    assert unassigned["assignee_id"] is None


def test_merge_and_link_endpoints(tenant_a):
    new_ticket(tenant_a, subject="Original")
    new_ticket(tenant_a, subject="Duplicate", body="the same")
    new_ticket(tenant_a, subject="Related")
    linked = tenant_a.post("/tickets/1/links", {"number": 3})
    assert linked.status_code == 201 and linked.get_json()["links"] == [3]
    assert tenant_a.get("/tickets/3").get_json()["links"] == [1]
    assert tenant_a.post("/tickets/1/links", {"number": 99}).status_code == 404
    assert tenant_a.post("/tickets/1/links", {}).status_code == 422
    assert tenant_a.delete("/tickets/3/links/1").status_code == 204
    assert tenant_a.get("/tickets/1").get_json()["links"] == []
    survivor = tenant_a.post("/tickets/2/merge", {"into": 1})
    assert survivor.status_code == 200
    assert "the same" in [m["body_html"] for m in survivor.get_json()["messages"]][1]
    merged = tenant_a.get("/tickets/2").get_json()
    assert merged["merged_into"] == 1 and merged["status"] == "closed"
    assert tenant_a.post("/tickets/2/merge", {"into": 1}).status_code == 409
    assert tenant_a.post("/tickets/1/merge", {"into": 1}).status_code == 422
    assert tenant_a.post("/tickets/3/merge", {}).status_code == 422


def test_custom_field_definitions(tenant_a, client):
    created = tenant_a.post("/custom-fields", {"key": "plan", "label": "Plan", "kind": "select",
                                               "options": ["free", "paid"]})
    assert created.status_code == 201
    field = created.get_json()
    assert tenant_a.post("/custom-fields", {"key": "plan", "label": "Again",
                                            "kind": "text"}).status_code == 409
    assert tenant_a.post("/custom-fields", {"key": "Bad Key", "label": "x",
                                            "kind": "text"}).status_code == 422
    assert tenant_a.post("/custom-fields", {"key": "k", "label": "x",
                                            "kind": "date"}).status_code == 422
    assert tenant_a.post("/custom-fields", {"key": "s", "label": "x",
                                            "kind": "select"}).status_code == 422
    ticket = new_ticket(tenant_a, custom_fields={"plan": "paid"})
    assert ticket["custom_fields"] == {"plan": "paid"}
    bad = tenant_a.patch("/tickets/1", {"custom_fields": {"plan": "gold"}})
    assert bad.status_code == 422 and "custom_fields.plan" in bad.get_json()["error"]["fields"]
    patched = tenant_a.patch(f"/custom-fields/{field['id']}", {"options": ["free", "paid",
                                                                           "gold"]})
    assert patched.get_json()["options"] == ["free", "paid", "gold"]
    assert tenant_a.patch("/tickets/1", {"custom_fields": {"plan": "gold"}}).status_code == 200
    assert [f["key"] for f in tenant_a.get("/custom-fields").get_json()["items"]] == ["plan"]
    agent, _ = add_staff(tenant_a, client)
    assert agent.post("/custom-fields", {"key": "x", "label": "x",
                                         "kind": "text"}).status_code == 403
    assert tenant_a.delete(f"/custom-fields/{field['id']}").status_code == 204
    assert tenant_a.get(f"/custom-fields/{field['id']}").status_code == 404
    assert tenant_a.get("/tickets/1").get_json()["custom_fields"] == {"plan": "gold"}


def test_tickets_in_openapi(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/api/v1/tickets", "/api/v1/tickets/{number}", "/api/v1/tickets/{number}/messages",
                 "/api/v1/tickets/{number}/restore", "/api/v1/tickets/{number}/merge",
                 "/api/v1/customers", "/api/v1/organizations/{organization_id}",
                 "/api/v1/attachments", "/api/v1/custom-fields"):
        assert path in paths, path
    assert set(paths["/api/v1/tickets/{number}"]) == {"get", "patch", "delete"}
