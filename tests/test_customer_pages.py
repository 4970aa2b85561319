"""Customer and organization pages: a customer's tickets, organizations by e-mail domain."""
from tests.conftest import STRONG_PASSWORD


def _login(client, api):
    slug = api.get("/tenant").get_json()["slug"]
    client.post(f"/t/{slug}/login", data={"email": f"admin@{slug}.example",
                                          "password": STRONG_PASSWORD})


def test_customer_page_lists_their_tickets(client, tenant_a):
    for subject in ("Printer is on fire", "Invoice missing"):
        assert tenant_a.post("/tickets", {"subject": subject, "body": "Help",
                                          "requester": {"email": "pat@client.example",
                                                        "name": "Pat"}}).status_code == 201
    tenant_a.post("/tickets", {"subject": "Someone else", "body": "x",
                               "requester": {"email": "other@client.example"}})
    _login(client, tenant_a)
    listing = client.get("/app/customers/?q=pat").get_data(as_text=True)
    assert "pat@client.example" in listing and "other@client.example" not in listing
    customer_id = tenant_a.get("/customers?q=pat").get_json()["items"][0]["id"]
    page = client.get(f"/app/customers/{customer_id}").get_data(as_text=True)
    assert "Printer is on fire" in page and "Invoice missing" in page
    assert "Someone else" not in page


def test_organization_matches_new_customers_by_domain(client, tenant_a):
    _login(client, tenant_a)
    response = client.post("/app/organizations/", data={"name": "Client Ltd",
                                                         "domains": "client.example"})
    assert response.status_code == 302
    tenant_a.post("/tickets", {"subject": "From a client", "body": "Hi",
                               "requester": {"email": "new@client.example"}})
    organization_id = tenant_a.get("/organizations").get_json()["items"][0]["id"]
    page = client.get(f"/app/organizations/{organization_id}").get_data(as_text=True)
    assert "new@client.example" in page and "From a client" in page
    bad = client.post("/app/organizations/", data={"name": "Bad", "domains": "not a domain"})
    assert "is not a domain name" in bad.get_data(as_text=True)


def test_staff_adds_and_edits_a_customer(client, tenant_a):
    _login(client, tenant_a)
    created = client.post("/app/customers/", data={"email": "Kim@Example.org", "name": "Kim",
                                                   "organization_id": ""})
    assert created.status_code == 302
    customer_id = int(created.location.rstrip("/").rsplit("/", 1)[-1])
    client.post(f"/app/customers/{customer_id}", data={"email": "kim@example.org",
                                                       "name": "Kim Lee", "organization_id": ""})
    assert tenant_a.get(f"/customers/{customer_id}").get_json()["name"] == "Kim Lee"
    duplicate = client.post("/app/customers/", data={"email": "kim@example.org"})
    assert "Already a customer" in duplicate.get_data(as_text=True)
