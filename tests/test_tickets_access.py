"""Department access: agents see and act only where they hold a right (view < reply < manage).
A ticket in a department without rights doesn't exist for them: 404 in the API, the list,
search and attachments. Admins and managers see everything."""
import io

import pytest

from tests.crosstenant.tickets import PNG
from tests.test_tickets_support import add_staff, department, make_pro, new_ticket


@pytest.fixture
def setup(app, client, tenant_a):
    make_pro(app, tenant_a)
    support = tenant_a.get("/departments").get_json()["items"][0]["id"]
    secret = department(tenant_a, "Secret")
    viewer, _ = add_staff(tenant_a, client, access={support: "view"}, name="Viewer")
    replier, _ = add_staff(tenant_a, client, access={support: "reply"}, name="Replier")
    manager_of_dept, _ = add_staff(tenant_a, client, access={support: "manage"}, name="Boss")
    outsider, _ = add_staff(tenant_a, client, access={secret: "manage"}, name="Outsider")
    manager, _ = add_staff(tenant_a, client, role="manager", name="Manager")
    new_ticket(tenant_a, subject="Support ticket about widgets", department_id=support)
    new_ticket(tenant_a, subject="Secret ticket about widgets", department_id=secret)
    new_ticket(tenant_a, subject="Unsorted ticket about widgets")
    return {"admin": tenant_a, "viewer": viewer, "replier": replier, "boss": manager_of_dept,
            "outsider": outsider, "manager": manager, "support": support, "secret": secret}


def numbers(api, query: str = "") -> list[int]:
    response = api.get(f"/tickets{query}")
    assert response.status_code == 200, response.get_json()
    return [t["number"] for t in response.get_json()["items"]]


def test_lists_and_search_show_only_permitted_departments(setup):
    assert numbers(setup["admin"]) == [3, 2, 1]
    assert numbers(setup["manager"]) == [3, 2, 1]
    assert numbers(setup["viewer"]) == [3, 1]
    assert numbers(setup["outsider"]) == [3, 2]
    assert numbers(setup["viewer"], "?q=widgets") == [3, 1]
    assert numbers(setup["viewer"], f"?department_id={setup['secret']}") == []


def test_unpermitted_ticket_is_404_everywhere(setup):
    viewer = setup["viewer"]
    assert viewer.get("/tickets/2").status_code == 404
    assert viewer.patch("/tickets/2", {"priority": "high"}).status_code == 404
    assert viewer.post("/tickets/2/messages", {"body": "hi"}).status_code == 404
    assert viewer.delete("/tickets/2").status_code == 404
    assert viewer.get("/tickets/2/events").status_code == 404
    assert viewer.post("/tickets/1/links", {"number": 2}).status_code == 404
    assert setup["replier"].post("/tickets/1/merge", {"into": 2}).status_code == 404
    created = viewer.post("/tickets", {"subject": "x", "department_id": setup["secret"],
                                       "requester": {"email": "a@b.example"}})
    assert created.status_code == 404


def test_levels_view_reply_manage(setup):
    viewer, replier, boss = setup["viewer"], setup["replier"], setup["boss"]
    assert viewer.get("/tickets/1").status_code == 200
    assert viewer.post("/tickets/1/messages", {"body": "hi"}).status_code == 403
    assert viewer.patch("/tickets/1", {"status": "open"}).status_code == 403
    assert replier.post("/tickets/1/messages", {"body": "hi"}).status_code == 201
    assert replier.post("/tickets/1/messages", {"body": "n", "internal": True}).status_code \
        == 201
    assert replier.patch("/tickets/1", {"status": "pending"}).status_code == 200
    assert replier.delete("/tickets/1").status_code == 403
    assert boss.delete("/tickets/1").status_code == 204
    assert replier.post("/tickets/1/restore").status_code == 403
    assert boss.post("/tickets/1/restore").status_code == 200


def test_transfer_out_of_sight(setup):
    replier = setup["replier"]
    moved = replier.post("/tickets/1/transfer", {"department_id": setup["secret"],
                                                 "comment": "not ours"})
    assert moved.status_code == 200
    assert replier.get("/tickets/1").status_code == 404  # gone from their view
    assert setup["outsider"].get("/tickets/1").status_code == 200


def test_attachments_follow_ticket_access(setup, client):
    admin = setup["admin"]
    upload = client.post("/api/v1/attachments", headers={"Authorization": f"Bearer {admin.token}"},
                         data={"file": (io.BytesIO(PNG), "plan.png")},
                         content_type="multipart/form-data").get_json()
    assert admin.post("/tickets/2/messages", {"body": "file", "attachment_ids": [upload["id"]]}) \
        .status_code == 201
    assert setup["outsider"].get(f"/attachments/{upload['id']}/download").status_code == 200
    assert setup["viewer"].get(f"/attachments/{upload['id']}/download").status_code == 404
    assert setup["viewer"].get(f"/attachments/{upload['id']}").status_code == 404
