"""Helpers shared by the ticket, customer and attachment tests (no tests here)."""
from sqlalchemy import update

from app.departments.service import create_department
from app.extensions import db
from app.staff.service import create_staff
from app.tickets import service
from tenants.context import platform_connection, platform_scope
from tenants.models import Tenant
from tests.conftest import STRONG_PASSWORD, Api, unique


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


def make_pro(app, api: Api) -> None:
    """Lift the Standard plan's small staff and ticket limits for tests that need more."""
    slug = api.get("/tenant").get_json()["slug"]
    with app.app_context():
        # PLATFORM-WIDE: a test changes a tenant's plan
        with platform_connection(), platform_scope():
            db.session.execute(update(Tenant).where(Tenant.slug == slug).values(plan="pro"))
        db.session.commit()
        db.session.remove()


class Desk:
    """Service-level access to one tenant: its id, its admin, and helpers."""

    def __init__(self, tenant_id: int, admin):
        self.tenant_id, self.admin = tenant_id, admin

    def ticket(self, **over):
        values = {"actor": None, "channel": "widget", "subject": "Help",
                  "body": "Something broke", "requester_email": "cus@client.example",
                  "requester_name": "Cus Tomer"} | over
        return service.create_ticket(**values)

    def staff(self, *, role: str = "agent", access: dict | None = None, name: str = "Agent"):
        return create_staff(actor=self.admin, name=name, email=f"{unique('ag')}@staff.example",
                            password=STRONG_PASSWORD, role=role, access=access or {})

    def department(self, name: str):
        return create_department(actor=self.admin, name=name)

    def various(self, count: int) -> tuple:
        """``count`` tickets that differ in every filtered field (subject, requester,
        priority, type, tags, department, assignee): (an agent with the first line's
        rights, the first line, the tickets)."""
        first, second = self.department("First line"), self.department("Second line")
        agent = self.staff(access={first.id: "reply"})
        tickets = [self.ticket(
            subject=f"{'Printer' if i % 3 else 'Scanner'} jam {i}",
            requester_email=f"r{i % 4}@client.example", requester_name=f"R {i % 4}",
            priority=("low", "normal", "high", "urgent")[i % 4],
            type=("incident", None)[i % 2], tags=[["vip"], [], ["vip", "billing"]][i % 3],
            department_id=(first.id, second.id, None)[i % 3],
            assignee_id=agent.id if i % 6 == 0 else None) for i in range(count)]
        return agent, first, tickets
