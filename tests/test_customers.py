"""Customers and organizations: registration by e-mail, domain matching, the API."""
from tests.test_tickets_support import add_staff, new_ticket


def test_customer_registered_by_first_ticket(tenant_a):
    new_ticket(tenant_a, requester={"email": "Jane@Client.example", "name": "Jane"})
    new_ticket(tenant_a, requester={"email": "jane@client.example"})
    [customer] = tenant_a.get("/customers").get_json()["items"]
    assert customer["email"] == "jane@client.example" and customer["name"] == "Jane"
    own = tenant_a.get(f"/tickets?customer_id={customer['id']}").get_json()["items"]
    assert [t["number"] for t in own] == [2, 1]
    assert tenant_a.get(f"/customers/{customer['id']}").get_json() == customer


def test_organization_domains_match_new_customers(tenant_a):
    org = tenant_a.post("/organizations", {"name": "Client Ltd",
                                           "domains": ["@Client.example", "client.example"]})
    assert org.status_code == 201
    assert org.get_json()["domains"] == ["client.example"]
    org_id = org.get_json()["id"]
    ticket = new_ticket(tenant_a, requester={"email": "bob@client.example"})
    assert ticket["organization_id"] == org_id
    member = tenant_a.get(f"/customers?organization_id={org_id}").get_json()["items"]
    assert [c["email"] for c in member] == ["bob@client.example"]
    tickets = tenant_a.get(f"/tickets?organization_id={org_id}").get_json()["items"]
    assert [t["number"] for t in tickets] == [1]
    assert tenant_a.post("/organizations", {"name": "client ltd"}).status_code == 409
    assert tenant_a.post("/organizations", {"name": "X", "domains": ["not a domain"]}) \
        .status_code == 422
    renamed = tenant_a.patch(f"/organizations/{org_id}", {"name": "Client Inc"})
    assert renamed.status_code == 200 and renamed.get_json()["name"] == "Client Inc"
    assert tenant_a.delete(f"/organizations/{org_id}").status_code == 204
    assert tenant_a.get(f"/organizations/{org_id}").status_code == 404
    assert tenant_a.get("/tickets/1").get_json()["organization_id"] is None
    assert tenant_a.get("/customers").get_json()["items"][0]["organization_id"] is None


def test_customer_crud_and_errors(tenant_a, client):
    created = tenant_a.post("/customers", {"email": "new@x.example", "name": "New"})
    assert created.status_code == 201
    customer = created.get_json()
    assert tenant_a.post("/customers", {"email": "NEW@x.example"}).status_code == 409
    assert tenant_a.post("/customers", {"email": "bad"}).status_code == 422
    assert tenant_a.post("/customers", {"email": "o@x.example",
                                        "organization_id": 999999}).status_code == 404
    found = tenant_a.get("/customers?q=NEW").get_json()["items"]
    assert [c["id"] for c in found] == [customer["id"]]
    patched = tenant_a.patch(f"/customers/{customer['id']}", {"name": "Renamed"})
    assert patched.get_json()["name"] == "Renamed"
    tenant_a.post("/customers", {"email": "other@x.example"})
    clash = tenant_a.patch(f"/customers/{customer['id']}", {"email": "other@x.example"})
    assert clash.status_code == 409
    agent, _ = add_staff(tenant_a, client)
    assert agent.get(f"/customers/{customer['id']}").status_code == 200
    assert agent.patch(f"/customers/{customer['id']}", {"name": "x"}).status_code == 403
    assert tenant_a.get("/customers/999999").status_code == 404
    history = tenant_a.get("/events?object_type=customer").get_json()["items"]
    assert {e["action"] for e in history} >= {"customer.created", "customer.updated"}
