"""The demo tenant that ``make run`` seeds: departments and a few staff."""
from app.departments.service import create_department
from app.extensions import db
from app.staff.service import create_staff
from tenants import context
from tenants.resolve import tenant_by_slug
from tenants.signup import sign_up

DEMO_SLUG = "demo"
DEMO_PASSWORD = "harbor-lights-2026"


def seed():
    """Create the demo tenant unless it exists; returns (tenant, created)."""
    tenant = tenant_by_slug(DEMO_SLUG)
    if tenant is not None:
        return tenant, False
    result = sign_up(company_name="Demo Company", slug=DEMO_SLUG, admin_name="Dana Admin",
                     admin_email="admin@demo.example", password=DEMO_PASSWORD, language="en")
    tenant = result.tenant
    with context.tenant_scope(tenant.id):
        admin = result.admin
        sales = create_department(actor=admin, name="Sales", description="Offers and orders")
        billing = create_department(actor=admin, name="Payments", description="Invoices, refunds")
        # Two staff: what the Standard plan allows.
        create_staff(actor=admin, name="Alex Agent", email="agent@demo.example",
                     password=DEMO_PASSWORD, role="agent",
                     access={sales.id: "reply", billing.id: "view"})
        db.session.commit()
    return tenant, True
