"""Registration of requesters: the customer behind an e-mail address, created the first time
they write (matched to an organization by domain). Every channel's new ticket passes here,
so on PostgreSQL it is one statement: find, or insert with the organization looked up in
the same statement. The embedded default (SQLite) finds, then inserts in a savepoint."""
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app.customers.models import Customer, Organization
from app.customers.service import customer_by_email, organization_for_email
from app.db_types import utcnow
from app.events.service import record_event
from app.extensions import db
from app.rows import attach
from app.staff.service import normalize_email
from tenants import context

# The existing customer, or the one this statement inserts; nothing when a parallel
# registration of the same address won (ON CONFLICT), which the caller then reads.
_FIND_OR_INSERT = text("""
    WITH found AS (
        SELECT id, email, name, organization_id, created_at FROM customers
        WHERE tenant_id = :tenant_id AND email = :email),
    made AS (
        INSERT INTO customers (tenant_id, email, name, organization_id, created_at)
        SELECT :tenant_id, :email, :name,
               (SELECT id FROM organizations WHERE tenant_id = :tenant_id
                  AND domains @> to_jsonb(CAST(:domain AS text)) ORDER BY id LIMIT 1),
               :now
        WHERE NOT EXISTS (SELECT 1 FROM found)
        ON CONFLICT (tenant_id, email) DO NOTHING
        RETURNING id, email, name, organization_id, created_at)
    SELECT id, email, name, organization_id, created_at, false AS made FROM found
    UNION ALL
    SELECT id, email, name, organization_id, created_at, true FROM made
""")


def register_requester(*, email: str, name: str | None = None) -> Customer:
    """The customer with ``email``, created on first contact (matched to an organization by
    domain). A later message with a name fills in a missing one; it never renames."""
    customer, made = find_or_register(email=email, name=name)
    if made:
        record_registered(customer)
    return customer


def find_or_register(*, email: str, name: str | None = None) -> tuple[Customer, bool]:
    """``register_requester`` without its event: (the customer, whether it is new). The
    caller records ``record_registered`` for a new one (a request that completes later
    records it then)."""
    email = normalize_email(email)
    name = (name or "").strip()[:200]
    if db.session.get_bind().dialect.name == "postgresql":
        customer, made = _find_or_insert(email, name)
    else:
        customer, made = _find_or_insert_portable(email, name)
    if not made and name and not customer.name:
        customer.name = name
    return customer, made


def record_registered(customer: Customer) -> None:
    record_event(None, "customer.registered", customer,
                 {"email": customer.email, "organization_id": customer.organization_id})


def _find_or_insert(email: str, name: str) -> tuple[Customer, bool]:
    tenant_id = context.current_tenant_id()
    row = db.session.connection().execute(_FIND_OR_INSERT, {
        "tenant_id": tenant_id, "email": email, "name": name, "now": utcnow(),
        "domain": email.rsplit("@", 1)[-1]}).first()
    if row is None:  # a parallel first message from the same address registered it
        return customer_by_email(email), False
    customer = Customer(tenant_id=tenant_id, id=row.id, email=row.email, name=row.name,
                        organization_id=row.organization_id, created_at=row.created_at)
    return attach(customer), row.made  # as if read by a query: persistent, nothing to write


def _find_or_insert_portable(email: str, name: str) -> tuple[Customer, bool]:
    customer = customer_by_email(email)
    if customer is not None:
        return customer, False
    organization: Organization | None = organization_for_email(email)
    customer = Customer(email=email, name=name,
                        organization_id=organization.id if organization else None)
    # A savepoint, so a parallel first message from the same address only loses the race.
    try:
        with db.session.begin_nested():
            db.session.add(customer)
            db.session.flush()
    except IntegrityError:  # the unique (tenant_id, email) caught a concurrent registration
        existing = customer_by_email(email)
        if existing is None:
            raise
        return existing, False
    return customer, True
