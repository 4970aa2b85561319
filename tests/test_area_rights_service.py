"""The service functions of customers, response templates, departments, staff and the event
log check their actor themselves: called directly (as a job, the widget or mail import
would), they refuse the same people the page and the API refuse — and nobody (``None``)."""
import pytest

from app.customers import service as customers
from app.departments import service as departments
from app.errors import Forbidden
from app.event_log import service as event_log
from app.extensions import db
from app.responses import service as responses
from app.staff import invitations
from app.staff import service as staff
from app.staff.models import Staff
from tests.conftest import STRONG_PASSWORD
from tests.crosstenant.rules import as_tenant_of


def _changes(ids: dict) -> dict:
    """Every change each area offers, as a call taking the actor (reads are checked apart)."""
    return {
        "add a customer": lambda a: customers.create_customer(actor=a, email="n@c.example"),
        "change a customer": lambda a: customers.update_customer(
            actor=a, customer_id=ids["customer"], changes={"name": "X"}),
        "create an organization": lambda a: customers.create_organization(actor=a, name="O"),
        "change an organization": lambda a: customers.update_organization(
            actor=a, organization_id=ids["organization"], name="O2"),
        "delete an organization": lambda a: customers.delete_organization(
            actor=a, organization_id=ids["organization"]),
        "create a template": lambda a: responses.create_template(actor=a, name="T", body=""),
        "change a template": lambda a: responses.update_template(
            actor=a, template_id=ids["template"], name="T2"),
        "delete a template": lambda a: responses.delete_template(
            actor=a, template_id=ids["template"]),
        "create a department": lambda a: departments.create_department(actor=a, name="D"),
        "change a department": lambda a: departments.update_department(
            actor=a, department_id=ids["department"], name="D2"),
        "delete a department": lambda a: departments.delete_department(
            actor=a, department_id=ids["department"]),
        "add a staff member": lambda a: staff.create_staff(
            actor=a, name="N", email="n@x.example", password=STRONG_PASSWORD),
        "invite a staff member": lambda a: invitations.invite_staff(
            actor=a, name="I", email="i@x.example"),
        "change a staff member": lambda a: staff.update_staff(
            actor=a, staff_id=ids["colleague"], name="C2"),
        "change department rights": lambda a: staff.set_department_access(
            actor=a, staff=db.session.get(Staff, ids["colleague"]), access={}),
        "invite again": lambda a: invitations.resend_invitation(
            actor=a, staff_id=ids["colleague"]),
        "remove a staff member": lambda a: staff.delete_staff(
            actor=a, staff_id=ids["colleague"]),
    }


def _reads(ids: dict) -> dict:
    return {
        "customers": lambda a: customers.customers_query(actor=a),
        "a customer": lambda a: customers.view_customer(actor=a, customer_id=ids["customer"]),
        "organizations": lambda a: customers.organizations_query(actor=a),
        "templates": lambda a: responses.search_templates(staff=a),
        "a template": lambda a: responses.view_template(actor=a, template_id=ids["template"]),
        "departments": lambda a: departments.read_departments(actor=a),
        "a department": lambda a: departments.view_department(
            actor=a, department_id=ids["department"]),
        "staff": lambda a: staff.read_staff(actor=a),
        "a staff member": lambda a: staff.view_staff(actor=a, staff_id=ids["colleague"]),
        "the event log": lambda a: event_log.events_query(actor=a),
    }


MANAGERS_MAY = {"add a customer", "change a customer", "create an organization",
                "change an organization", "delete an organization", "create a template",
                "change a template", "delete a template"}
AGENTS_MAY = {"add a customer"}


@pytest.fixture
def desk(app, tenant_a):
    """The admin's tenant with an agent, a manager, an invited colleague and one of each
    thing to change; yields (staff by role, ids) inside the tenant."""
    assert tenant_a.post("/billing/plan", {"plan": "pro"}).status_code == 200
    people = {role: tenant_a.post("/staff", {"name": role, "email": f"{role}@x.example",
                                             "password": STRONG_PASSWORD, "role": role}
                                  ).get_json()["id"] for role in ("agent", "manager")}
    ids = {"colleague": tenant_a.post("/staff", {"name": "C", "email": "c@x.example"}
                                      ).get_json()["id"],
           "customer": tenant_a.post("/customers", {"email": "c@c.example"}).get_json()["id"],
           "organization": tenant_a.post("/organizations", {"name": "Org"}).get_json()["id"],
           "template": tenant_a.post("/responses", {"name": "Tpl"}).get_json()["id"],
           "department": tenant_a.post("/departments", {"name": "Dep"}).get_json()["id"]}
    with as_tenant_of(app, tenant_a) as admin:
        by_role = {role: db.session.get(Staff, staff_id) for role, staff_id in people.items()}
        yield by_role | {"admin": admin}, ids


@pytest.mark.parametrize("role", ("agent", "manager", None))
def test_every_change_refuses_whom_the_rule_refuses(desk, role):
    people, ids = desk
    actor = people[role] if role else None
    allowed = {"agent": AGENTS_MAY, "manager": MANAGERS_MAY, None: set()}[role]
    refused = [name for name in _changes(ids) if name not in allowed]
    assert len(refused) >= 9
    for name in refused:
        with pytest.raises(Forbidden):
            _changes(ids)[name](actor)
    # The refusals came first: nothing was changed on the way.
    assert db.session.get(Staff, ids["colleague"]).name == "C"
    assert departments.get_department(ids["department"]).name == "Dep"


def test_every_change_is_allowed_to_the_admin_and_the_managers_share(desk):
    people, ids = desk
    for name, change in _changes(ids).items():  # in order: each delete after its edit
        change(people["manager"] if name in MANAGERS_MAY else people["admin"])
    assert db.session.get(Staff, ids["colleague"]) is None


def test_reads_refuse_nobody_and_the_event_log_refuses_agents(desk):
    people, ids = desk
    for name, read in _reads(ids).items():
        with pytest.raises(Forbidden):
            read(None)
        if name == "the event log":
            with pytest.raises(Forbidden):
                read(people["agent"])
            assert read(people["manager"]) is not None
        else:
            assert read(people["agent"]) is not None, name


def test_a_profile_is_ones_own_and_signup_makes_only_the_first_admin(desk):
    people, ids = desk
    agent = people["agent"]
    assert staff.update_profile(actor=agent, name="Agnes", language="kk").language == "kk"
    with pytest.raises(Forbidden):  # a role is not part of a profile: update_staff is admins'
        staff.update_staff(actor=agent, staff_id=agent.id, role="admin")
    with pytest.raises(Forbidden):
        staff.update_profile(actor=None, name="Nobody")
    with pytest.raises(Forbidden):  # the tenant has staff: no second "first admin"
        staff.create_first_admin(name="Eve", email="eve@x.example", password=STRONG_PASSWORD)
    assert db.session.get(Staff, agent.id).role == "agent"
