"""Cross-tenant factories for response templates, routing rules and SLA holidays,
and the small helpers the rules' tests share."""
from contextlib import contextmanager

from sqlalchemy import func, select

from app.auth.tokens import staff_for_token
from app.customers.models import Customer
from app.extensions import db
from app.tickets.models import Ticket
from tenants.context import tenant_scope
from tests.crosstenant import factory


@factory("response_id")
def response_template(api) -> int:
    return api.post("/responses", {"name": "Private", "body": "secret"}).get_json()["id"]


@factory("rule_id")
def routing_rule(api) -> int:
    return api.post("/routing/rules", {"name": "Private",
                                       "actions": {"priority": "high"}}).get_json()["id"]


@factory("holiday_id")
def holiday(api) -> int:
    return api.post("/sla/holidays", {"day": "2030-01-01", "name": "New Year"}).get_json()["id"]


@contextmanager
def as_tenant_of(app, api):
    """An app context inside the tenant that ``api``'s token belongs to; yields the staff."""
    with app.app_context():
        staff = staff_for_token(api.token)
        with tenant_scope(staff.tenant_id):
            yield db.session.get(type(staff), staff.id)
        db.session.remove()


def insert_ticket(app, api, **values) -> int:
    """A ticket written straight to the tables (for tests that are not about creation)."""
    with as_tenant_of(app, api):
        customer = db.session.scalar(select(Customer).where(Customer.email == "jane@c.example"))
        if customer is None:
            customer = Customer(email="jane@c.example", name="Jane Customer")
            db.session.add(customer)
            db.session.flush()
        number = (db.session.scalar(select(func.max(Ticket.number))) or 0) + 1
        ticket = Ticket(number=number, customer_id=customer.id,
                        **({"subject": "Cannot log in", "channel": "api"} | values))
        db.session.add(ticket)
        db.session.commit()
        return number
