"""Routing rules and SLA settings: the page and the API give each role the same answer,
because both ask the same service function (every staff member reads; admins and managers
change)."""
import pytest

from app.errors import Forbidden
from app.extensions import db
from app.routing import service as routing
from app.sla import settings as sla
from app.staff.models import Staff
from tests.conftest import STRONG_PASSWORD, Api
from tests.crosstenant.rules import as_tenant_of

ROLES = ("agent", "manager", "admin")
PAGE_OK, API_OK = (200, 302), (200, 201, 204)


def _rule_form(name: str) -> dict:
    return {"name": name, "enabled": "y", "words": "invoice", "words_in": "any",
            "department_id": "", "assignee_id": "", "priority": "high", "type": ""}


def _rule(api, name: str) -> int:
    response = api.post("/routing/rules", {"name": name, "conditions": {"words": ["x"]},
                                           "actions": {"priority": "high"}})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def _holiday(api, day: str) -> int:
    response = api.post("/sla/holidays", {"day": day})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


HOURS = {str(day): [["09:00", "17:00"]] for day in range(5)}
TARGETS = [{"priority": "high", "first_response_minutes": 60, "resolution_minutes": 240}]

# Each operation: (name, changes settings?, page request, API request). A request gets the
# role's client (page) or Api, and ``ids``: rules and holidays the admin made beforehand.
OPERATIONS = [
    ("read routing rules", False,
     lambda c, ids: c.get("/app/routing/"),
     lambda a, ids: a.get("/routing/rules")),
    ("add a routing rule", True,
     lambda c, ids: c.post("/app/routing/new", data=_rule_form("From the page")),
     lambda a, ids: a.post("/routing/rules", {"name": "From the API",
                                              "actions": {"priority": "low"}})),
    ("edit a routing rule", True,
     lambda c, ids: c.post(f"/app/routing/{ids['rules'][0]}", data=_rule_form("Renamed")),
     lambda a, ids: a.patch(f"/routing/rules/{ids['rules'][0]}", {"name": "Renamed"})),
    ("enable or disable a routing rule", True,
     lambda c, ids: c.post(f"/app/routing/{ids['rules'][0]}/toggle"),
     lambda a, ids: a.patch(f"/routing/rules/{ids['rules'][0]}", {"enabled": False})),
    ("reorder routing rules", True,
     lambda c, ids: c.post(f"/app/routing/{ids['rules'][1]}/move", data={"direction": "up"}),
     lambda a, ids: a.post("/routing/rules/reorder", {"ids": ids["rules"][::-1]})),
    ("delete a routing rule", True,
     lambda c, ids: c.post(f"/app/routing/{ids['rules'][0]}/delete"),
     lambda a, ids: a.delete(f"/routing/rules/{ids['rules'][1]}")),
    ("read SLA settings", False,
     lambda c, ids: c.get("/app/sla/"),
     lambda a, ids: a.get("/sla/policies")),
    ("set business hours", True,
     lambda c, ids: c.post("/app/sla/hours", data={"timezone": "UTC", "open-0": "1",
                                                   "from-0": "09:00", "to-0": "17:00"}),
     lambda a, ids: a.call("PUT", "/sla/calendar", {"timezone": "UTC", "hours": HOURS})),
    ("add a holiday", True,
     lambda c, ids: c.post("/app/sla/holidays", data={"day": "2031-01-01"}),
     lambda a, ids: a.post("/sla/holidays", {"day": "2031-01-02"})),
    ("remove a holiday", True,
     lambda c, ids: c.post(f"/app/sla/holidays/{ids['holidays'][0]}/delete"),
     lambda a, ids: a.delete(f"/sla/holidays/{ids['holidays'][1]}")),
    ("set SLA targets", True,
     lambda c, ids: c.post("/app/sla/policies", data={"first-high": "1",
                                                      "resolution-high": "4"}),
     lambda a, ids: a.call("PUT", "/sla/policies", {"policies": TARGETS})),
]


def _member(app, admin_api, role: str):
    """A page client and an API client signed in as a staff member of ``role``."""
    slug = admin_api.get("/tenant").get_json()["slug"]
    email = f"admin@{slug}.example"
    if role != "admin":
        email = f"{role}@{slug}.example"
        created = admin_api.post("/staff", {"name": role.title(), "email": email,
                                            "password": STRONG_PASSWORD, "role": role})
        assert created.status_code == 201, created.get_json()
    page = app.test_client()
    login = page.post(f"/t/{slug}/login", data={"email": email, "password": STRONG_PASSWORD})
    assert login.status_code == 302
    token = Api(page).post("/tokens", {"tenant": slug, "email": email,
                                       "password": STRONG_PASSWORD})
    assert token.status_code == 201, token.get_json()
    return page, Api(page, token.get_json()["token"])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", OPERATIONS, ids=[op[0] for op in OPERATIONS])
def test_page_and_api_agree(app, tenant_a, role, operation):
    _name, changes, on_page, on_api = operation
    ids = {"rules": [_rule(tenant_a, "First"), _rule(tenant_a, "Second")],
           "holidays": [_holiday(tenant_a, "2030-05-01"), _holiday(tenant_a, "2030-05-09")]}
    page, api = _member(app, tenant_a, role)
    page_status, api_status = on_page(page, ids).status_code, on_api(api, ids).status_code
    refused = changes and role == "agent"
    if refused:
        assert (page_status, api_status) == (403, 403)
    else:
        assert page_status in PAGE_OK and api_status in API_OK, (page_status, api_status)


@pytest.mark.parametrize("role", ROLES)
def test_pages_show_change_controls_only_to_those_who_may_change(app, tenant_a, role):
    _rule(tenant_a, "First")
    page, _api = _member(app, tenant_a, role)
    shown = role != "agent"
    routing_page = page.get("/app/routing/").get_data(as_text=True)
    sla_page = page.get("/app/sla/").get_data(as_text=True)
    assert "First" in routing_page
    assert ("/app/routing/new" in routing_page) is shown
    assert ("Save targets" in sla_page) is shown


def test_the_services_refuse_an_agent_and_nobody(app, tenant_a):
    agent_id = tenant_a.post("/staff", {"name": "Al", "email": "al@x.example",
                                        "password": STRONG_PASSWORD, "role": "agent"}
                             ).get_json()["id"]
    with as_tenant_of(app, tenant_a) as admin:
        agent = db.session.get(Staff, agent_id)
        for actor in (agent, None):
            with pytest.raises(Forbidden):
                routing.create_rule(actor=actor, name="X", actions={"priority": "high"})
            with pytest.raises(Forbidden):
                sla.save_policies(actor=actor, targets=TARGETS)
        with pytest.raises(Forbidden):
            routing.list_rules(actor=None)
        assert routing.list_rules(actor=agent) == []
        assert sla.view_policies(actor=agent) == []
        assert routing.create_rule(actor=admin, name="X", actions={"priority": "high"}).id
