"""Response template pages: list, create, editor flags unknown placeholders, delete."""
from tests.conftest import STRONG_PASSWORD


def _login(client, api):
    slug = api.get("/tenant").get_json()["slug"]
    response = client.post(f"/t/{slug}/login", data={"email": f"admin@{slug}.example",
                                                     "password": STRONG_PASSWORD})
    assert response.status_code == 302


def test_create_edit_flag_and_delete(client, tenant_a):
    _login(client, tenant_a)
    assert client.get("/app/responses/new").status_code == 200
    response = client.post("/app/responses/new", data={
        "name": "Thanks", "body": "Hi {{customer.name}} {{ticket.nmber}}", "department_id": "",
        "set_status": "resolved", "set_priority": "", "set_assignee_id": ""})
    assert response.status_code == 302
    rid = tenant_a.get("/responses").get_json()["items"][0]["id"]
    page = client.get(f"/app/responses/{rid}").get_data(as_text=True)
    assert 'id="template-problems"' in page
    assert "ticket.nmber" in page
    assert "Jane Customer" in page  # the preview
    listing = client.get("/app/responses/?q=thank").get_data(as_text=True)
    assert "Thanks" in listing

    response = client.post(f"/app/responses/{rid}", data={
        "name": "Thanks", "body": "Hi {{customer.name}}", "department_id": "",
        "set_status": "", "set_priority": "", "set_assignee_id": ""})
    assert response.status_code == 302
    assert 'id="template-problems"' not in client.get(f"/app/responses/{rid}").get_data(
        as_text=True)
    assert client.post(f"/app/responses/{rid}/delete").status_code == 302
    assert tenant_a.get(f"/responses/{rid}").status_code == 404


def test_form_rejects_an_unknown_status(client, tenant_a):
    _login(client, tenant_a)
    response = client.post("/app/responses/new", data={
        "name": "Bad", "body": "", "department_id": "", "set_status": "sleeping",
        "set_priority": "", "set_assignee_id": ""})
    assert response.status_code == 200
    assert tenant_a.get("/responses").get_json()["items"] == []

