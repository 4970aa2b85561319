"""Departments and staff through the API: CRUD, rights, last admin, events, bad input."""
from tests.conftest import STRONG_PASSWORD, Api


def _agent(api, email="agent@x.example", **extra):
    return api.post("/staff", {"name": "Agent", "email": email, "password": STRONG_PASSWORD,
                               "role": "agent"} | extra)


def test_department_crud_and_events(tenant_a):
    created = tenant_a.post("/departments", {"name": "Payments", "description": "Invoices"})
    assert created.status_code == 201
    department_id = created.get_json()["id"]
    renamed = tenant_a.patch(f"/departments/{department_id}", {"name": "Billing"})
    assert renamed.get_json()["name"] == "Billing"
    assert tenant_a.delete(f"/departments/{department_id}").status_code == 204
    assert tenant_a.get(f"/departments/{department_id}").status_code == 404
    events = tenant_a.get("/events?action=department.").get_json()["items"]
    updated = next(e for e in events if e["action"] == "department.updated")
    assert updated["data"]["before"]["name"] == "Payments"
    assert updated["data"]["after"]["name"] == "Billing"
    assert {"department.created", "department.deleted"} <= {e["action"] for e in events}


def test_department_name_conflicts_and_validation(tenant_a):
    tenant_a.post("/departments", {"name": "Sales"})
    assert tenant_a.post("/departments", {"name": "sales"}).status_code == 409
    response = tenant_a.post("/departments", {"name": ""})
    assert response.status_code == 422
    assert "name" in response.get_json()["error"]["fields"]


def test_department_in_use_is_not_deleted(app, tenant_a):
    from app.departments.signals import department_deleting

    created = tenant_a.post("/departments", {"name": "Busy"}).get_json()

    def usage(_app, *, department_id):
        return 3 if department_id == created["id"] else 0

    with department_deleting.connected_to(usage, sender=app):
        response = tenant_a.delete(f"/departments/{created['id']}")
    assert response.status_code == 409
    assert "3 tickets" in response.get_json()["error"]["message"]


def test_staff_with_department_rights(tenant_a):
    department_id = tenant_a.post("/departments", {"name": "Sales"}).get_json()["id"]
    response = _agent(tenant_a, departments=[{"id": department_id, "access": "reply"}])
    assert response.status_code == 201
    member = response.get_json()
    assert member["departments"] == [{"id": department_id, "access": "reply"}]
    assert "password" not in member
    changed = tenant_a.patch(f"/staff/{member['id']}", {
        "role": "manager", "departments": [{"id": department_id, "access": "manage"}]})
    assert changed.get_json()["role"] == "manager"
    assert changed.get_json()["departments"][0]["access"] == "manage"
    actions = {e["action"] for e in tenant_a.get("/events?action=staff.").get_json()["items"]}
    assert {"staff.created", "staff.updated", "staff.access_changed"} <= actions


def test_staff_bad_input(tenant_a):
    assert _agent(tenant_a).status_code == 201
    duplicate = _agent(tenant_a)
    assert duplicate.status_code == 409
    bad = tenant_a.post("/staff", {"name": "X", "email": "nope", "password": "short",
                                   "role": "boss"})
    assert bad.status_code == 422
    assert {"role"} <= set(bad.get_json()["error"]["fields"])
    weak = _agent(tenant_a, email="weak@x.example", password="qwertyuiop")
    assert weak.status_code == 422 and "password" in weak.get_json()["error"]["fields"]
    unknown_department = _agent(tenant_a, email="u@x.example",
                                departments=[{"id": 999999, "access": "view"}])
    assert unknown_department.status_code == 404


def test_last_admin_cannot_be_removed_or_demoted(client, tenant_a):
    admin_id = tenant_a.get("/staff").get_json()["items"][0]["id"]
    assert tenant_a.delete(f"/staff/{admin_id}").status_code == 409
    assert tenant_a.patch(f"/staff/{admin_id}", {"role": "agent"}).status_code == 409
    assert tenant_a.patch(f"/staff/{admin_id}", {"active": False}).status_code == 409
    second = _agent(tenant_a, email="second@x.example", role="admin").get_json()
    assert tenant_a.patch(f"/staff/{admin_id}", {"role": "agent"}).status_code == 200
    assert tenant_a.delete(f"/staff/{second['id']}").status_code == 403  # no longer an admin
    slug = tenant_a.get("/tenant").get_json()["slug"]
    token = client.post("/api/v1/tokens", json={"tenant": slug, "email": "second@x.example",
                                                 "password": STRONG_PASSWORD}).get_json()["token"]
    second_api = Api(client, token)
    assert second_api.delete(f"/staff/{second['id']}").status_code == 409  # the last admin now


def test_pagination_with_cursor(tenant_a):
    for n in range(5):
        tenant_a.post("/departments", {"name": f"D{n}"})
    first = tenant_a.get("/departments?limit=2").get_json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    second = tenant_a.get(f"/departments?limit=2&cursor={first['next_cursor']}").get_json()
    assert not {d["id"] for d in first["items"]} & {d["id"] for d in second["items"]}
    assert tenant_a.get("/departments?limit=500").status_code == 422
    assert tenant_a.get("/departments?cursor=@@@").status_code == 422


def test_department_and_staff_pages(client, signup):
    api, body = signup()
    slug = body["tenant"]["slug"]
    client.post(f"/t/{slug}/login", data={"email": f"admin@{slug}.example",
                                          "password": STRONG_PASSWORD})
    response = client.post("/app/departments/", data={"name": "Complaints",
                                                      "description": "Unhappy customers"})
    assert response.status_code == 302
    assert "Complaints" in client.get("/app/departments/").get_data(as_text=True)
    department_id = next(d["id"] for d in api.get("/departments").get_json()["items"]
                         if d["name"] == "Complaints")
    response = client.post("/app/staff/", data={
        "name": "Sam", "email": "sam@x.example", "role": "agent", "language": "ru",
        "password": STRONG_PASSWORD, f"access-{department_id}": "reply"})
    assert response.status_code == 302
    sam = next(s for s in api.get("/staff").get_json()["items"] if s["email"] == "sam@x.example")
    assert sam["departments"] == [{"id": department_id, "access": "reply"}]
    assert sam["language"] == "ru"
    duplicate = client.post("/app/departments/", data={"name": "Complaints"})
    assert "This name is taken" in duplicate.get_data(as_text=True)
