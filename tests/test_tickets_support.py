"""Helpers shared by the ticket, customer and attachment tests (no tests here)."""
from tests.conftest import STRONG_PASSWORD, Api


def new_ticket(api: Api, **over) -> dict:
    """Create a ticket through the API; returns its JSON."""
    payload = {"subject": "Printer on fire", "body": "It <b>burns</b>.",
               "requester": {"email": "cus@client.example", "name": "Cus Tomer"}} | over
    response = api.post("/tickets", payload)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def add_staff(api: Api, client, *, role: str = "agent", access: dict | None = None,
              name: str = "Agent Smith", email: str | None = None) -> tuple[Api, dict]:
    """A staff member with ``access`` ({department_id: level}) and an Api with their token."""
    email = email or f"{name.split()[0].lower()}-{role}-{len(str(access))}@staff.example"
    response = api.post("/staff", {"name": name, "email": email, "role": role,
                                   "password": STRONG_PASSWORD,
                                   "departments": [{"id": d, "access": a}
                                                   for d, a in (access or {}).items()]})
    assert response.status_code == 201, response.get_json()
    member = response.get_json()
    tenant = api.get("/tenant").get_json()["slug"]
    token = client.post("/api/v1/tokens", json={"tenant": tenant, "email": email,
                                                "password": STRONG_PASSWORD})
    assert token.status_code == 201, token.get_json()
    return Api(client, token.get_json()["token"]), member


def department(api: Api, name: str) -> int:
    response = api.post("/departments", {"name": name})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]
