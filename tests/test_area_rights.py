"""Customers, response templates, departments, staff and the event log: the page and the API
give each role the same answer to the same action, because both ask the same service
function (the services' own refusals are pinned in test_area_rights_service.py)."""
import itertools

import pytest

from tests.conftest import STRONG_PASSWORD
from tests.test_settings_rights import _member

ROLES = ("agent", "manager", "admin")
PAGE_OK, API_OK = (200, 302), (200, 201, 204)
EVERYONE, MANAGERS, ADMINS = ROLES, ("manager", "admin"), ("admin",)
_batch = itertools.count(1)


def _made(response) -> int:
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def _prepare(admin, support: int) -> dict:
    """What the admin sets up before the member acts: two of each thing, so that the page and
    the API each change (or delete) their own."""
    b = next(_batch)
    two = range(2)
    return {
        "support": support,
        "customers": [_made(admin.post("/customers", {"email": f"c{b}-{n}@client.example"}))
                      for n in two],
        "orgs": [_made(admin.post("/organizations", {"name": f"Org {b}-{n}"})) for n in two],
        "templates": [_made(admin.post("/responses", {"name": f"T {b}-{n}",
                                                      "body": "<p>Hi</p>"})) for n in two],
        "departments": [_made(admin.post("/departments", {"name": f"D {b}-{n}"}))
                        for n in two],
        # Invited (no password): each can be changed, removed or invited again.
        "staff": [_made(admin.post("/staff", {"name": f"S {n}", "email": f"s{b}-{n}@x.example",
                                              "departments": [{"id": support,
                                                               "access": "reply"}]}))
                  for n in two],
    }


def _staff_form(ids, **over) -> dict:
    return {"name": "Sam", "role": "agent", "language": "", "active": "y",
            f"access-{ids['support']}": "reply"} | over


def _template_form(name: str) -> dict:
    return {"name": name, "department_id": "", "body": "<p>Hello {{customer.name}}</p>",
            "set_status": "", "set_priority": "", "set_assignee_id": ""}


# (area, action, who may, page request, API request); a request gets the member's page client
# or Api and the ids made beforehand. Each "second" object (index 1) is the API's own.
OPERATIONS = [
    ("customers", "read customers", EVERYONE,
     lambda c, i: c.get("/app/customers/"), lambda a, i: a.get("/customers")),
    ("customers", "read a customer", EVERYONE,
     lambda c, i: c.get(f"/app/customers/{i['customers'][0]}"),
     lambda a, i: a.get(f"/customers/{i['customers'][0]}")),
    ("customers", "add a customer", EVERYONE,
     lambda c, i: c.post("/app/customers/", data={"email": "page@client.example",
                                                  "name": "P", "organization_id": ""}),
     lambda a, i: a.post("/customers", {"email": "api@client.example"})),
    ("customers", "change a customer", MANAGERS,
     lambda c, i: c.post(f"/app/customers/{i['customers'][0]}", data={
         "name": "Renamed", "email": "c0@client.example", "organization_id": ""}),
     lambda a, i: a.patch(f"/customers/{i['customers'][1]}", {"name": "Renamed"})),
    ("customers", "read organizations", EVERYONE,
     lambda c, i: c.get(f"/app/organizations/{i['orgs'][0]}"),
     lambda a, i: a.get(f"/organizations/{i['orgs'][0]}")),
    ("customers", "create an organization", MANAGERS,
     lambda c, i: c.post("/app/organizations/", data={"name": "Page Ltd", "domains": ""}),
     lambda a, i: a.post("/organizations", {"name": "Api Ltd"})),
    ("customers", "change an organization", MANAGERS,
     lambda c, i: c.post(f"/app/organizations/{i['orgs'][0]}", data={
         "name": "Org zero", "domains": "zero.example"}),
     lambda a, i: a.patch(f"/organizations/{i['orgs'][1]}", {"domains": ["one.example"]})),
    ("customers", "delete an organization", MANAGERS,
     lambda c, i: c.post(f"/app/organizations/{i['orgs'][0]}/delete"),
     lambda a, i: a.delete(f"/organizations/{i['orgs'][1]}")),
    ("responses", "read templates", EVERYONE,
     lambda c, i: c.get("/app/responses/"),
     lambda a, i: a.get(f"/responses/{i['templates'][0]}")),
    ("responses", "create a template", MANAGERS,
     lambda c, i: c.post("/app/responses/new", data=_template_form("From the page")),
     lambda a, i: a.post("/responses", {"name": "From the API"})),
    ("responses", "change a template", MANAGERS,
     lambda c, i: c.post(f"/app/responses/{i['templates'][0]}", data=_template_form("New")),
     lambda a, i: a.patch(f"/responses/{i['templates'][1]}", {"body": "<p>Bye</p>"})),
    ("responses", "delete a template", MANAGERS,
     lambda c, i: c.post(f"/app/responses/{i['templates'][0]}/delete"),
     lambda a, i: a.delete(f"/responses/{i['templates'][1]}")),
    ("departments", "read departments", EVERYONE,
     lambda c, i: c.get("/app/departments/"),
     lambda a, i: a.get(f"/departments/{i['departments'][0]}")),
    ("departments", "change a department", ADMINS,
     lambda c, i: c.post(f"/app/departments/{i['departments'][0]}", data={
         "name": "Renamed", "description": ""}),
     lambda a, i: a.patch(f"/departments/{i['departments'][1]}", {"description": "x"})),
    ("departments", "delete a department", ADMINS,
     lambda c, i: c.post(f"/app/departments/{i['departments'][0]}/delete"),
     lambda a, i: a.delete(f"/departments/{i['departments'][1]}")),
    ("staff", "read staff", EVERYONE,
     lambda c, i: c.get("/app/staff/"), lambda a, i: a.get(f"/staff/{i['staff'][0]}")),
    ("staff", "add a staff member", ADMINS,
     lambda c, i: c.post("/app/staff/", data=_staff_form(
         i, email="page@x.example", password=STRONG_PASSWORD)),
     lambda a, i: a.post("/staff", {"name": "Api", "email": "api@x.example",
                                    "password": STRONG_PASSWORD})),
    ("staff", "change a staff member", ADMINS,
     lambda c, i: c.post(f"/app/staff/{i['staff'][0]}", data=_staff_form(i, role="manager")),
     lambda a, i: a.patch(f"/staff/{i['staff'][1]}", {"role": "manager"})),
    ("staff", "invite again", ADMINS,
     lambda c, i: c.post(f"/app/staff/{i['staff'][0]}/invite"),
     lambda a, i: a.post(f"/staff/{i['staff'][1]}/invitation")),
    ("staff", "remove a staff member", ADMINS,
     lambda c, i: c.post(f"/app/staff/{i['staff'][0]}/delete"),
     lambda a, i: a.delete(f"/staff/{i['staff'][1]}")),
    ("events", "read the event log", MANAGERS,
     lambda c, i: c.get("/app/events/"), lambda a, i: a.get("/events")),
]
AREAS = sorted({op[0] for op in OPERATIONS})


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("area", AREAS)
def test_page_and_api_agree(app, tenant_a, area, role):
    assert tenant_a.post("/billing/plan", {"plan": "pro"}).status_code == 200  # staff room
    support = tenant_a.get("/departments").get_json()["items"][0]["id"]
    page, api = _member(app, tenant_a, role)
    for _area, action, allowed, on_page, on_api in (op for op in OPERATIONS if op[0] == area):
        ids = _prepare(tenant_a, support)
        page_status, api_status = on_page(page, ids).status_code, on_api(api, ids).status_code
        if role in allowed:
            assert page_status in PAGE_OK and api_status in API_OK, (action, page_status,
                                                                     api_status)
        else:
            assert (page_status, api_status) == (403, 403), (action, page_status, api_status)


@pytest.mark.parametrize("role", ("agent", "manager"))
def test_a_refused_department_form_says_so_and_changes_nothing(app, tenant_a, role):
    # The departments page answers a refused "create" as it always has: back to the list
    # with a message; the API says 403. Neither creates anything.
    page, api = _member(app, tenant_a, role)
    response = page.post("/app/departments/", data={"name": "Sneaky", "description": ""})
    assert response.status_code == 302
    assert "Only an admin can change departments." in page.get(
        "/app/departments/").get_data(as_text=True)
    assert api.post("/departments", {"name": "Sneaky too"}).status_code == 403
    names = {d["name"] for d in tenant_a.get("/departments").get_json()["items"]}
    assert not names & {"Sneaky", "Sneaky too"}
    assert tenant_a.post("/departments", {"name": "Allowed"}).status_code == 201
