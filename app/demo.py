"""The demo company that ``make run`` seeds: departments, two staff, a template, tickets."""
from app.departments.service import create_department
from app.extensions import db
from app.onboarding.signup import sign_up
from app.responses.service import create_template
from app.staff.service import create_staff
from app.tickets.conversation import add_reply
from app.tickets.creation import create_ticket
from tenants import context
from tenants.resolve import tenant_by_slug

DEMO_SLUG = "demo"
DEMO_PASSWORD = "harbor-lights-2026"

# (channel, requester, subject, body, department, priority)
TICKETS = [
    ("widget", ("olga@customer.example", "Olga Petrova"), "Cannot log in to my account",
     "Since this morning the site says my password is wrong, although I did not change it.",
     None, "high"),
    ("email", ("accounts@partner.example", "Partner Accounts"), "Invoice 2041 is missing VAT",
     "Hello, the invoice we received for October does not show VAT. Could you re-issue it?",
     "Payments", "normal"),
    ("widget", ("ivan@customer.example", "Ivan"), "Do you deliver to Almaty?",
     "I would like to order 20 units. Is delivery to Almaty possible, and how long does it take?",
     "Sales", "normal"),
    ("email", ("olga@customer.example", "Olga Petrova"), "Refund for a double charge",
     "My card was charged twice for order 7731. Please refund one of the payments.",
     "Payments", "urgent"),
    ("portal", ("sam@startup.example", "Sam"), "Feature request: export to CSV",
     "It would help us a lot to export the order history to CSV.", None, "low"),
]


def seed():
    """Create the demo company unless it exists; returns (tenant, created)."""
    tenant = tenant_by_slug(DEMO_SLUG)
    if tenant is not None:
        return tenant, False
    result = sign_up(company_name="Demo Company", slug=DEMO_SLUG, admin_name="Dana Admin",
                     admin_email="admin@demo.example", password=DEMO_PASSWORD, language="en")
    tenant = result.tenant
    with context.tenant_scope(tenant.id):
        admin = result.admin
        departments = {
            "Sales": create_department(actor=admin, name="Sales", description="Offers and orders"),
            "Payments": create_department(actor=admin, name="Payments",
                                          description="Invoices, refunds"),
        }
        # Two staff: what the Standard plan allows.
        agent = create_staff(actor=admin, name="Alex Agent", email="agent@demo.example",
                             password=DEMO_PASSWORD, role="agent",
                             access={departments["Sales"].id: "reply",
                                     departments["Payments"].id: "view"})
        create_template(actor=admin, name="Thanks, we are on it",
                        body="<p>Hello {{customer.name}},</p><p>thank you for writing. We are "
                             "looking into request #{{ticket.number}} and will answer soon.</p>"
                             "<p>{{agent.name}}</p>", set_status="open")
        tickets = []
        for channel, (email, name), subject, body, department, priority in TICKETS:
            tickets.append(create_ticket(
                actor=None, channel=channel, subject=subject, body=body, requester_email=email,
                requester_name=name, priority=priority,
                department_id=departments[department].id if department else None))
        add_reply(actor=agent, ticket=tickets[2], body_format="html",
                  body="<p>Yes, we deliver to Almaty within 5 working days.</p>")
        db.session.commit()
    return tenant, True
