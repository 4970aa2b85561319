"""Registration of requesters: the customer behind an e-mail address, created the first time
they write (matched to an organization by domain). Every channel's new ticket passes here,
so on PostgreSQL it is one statement: find, or insert with the organization looked up in
the same statement; a batch of mail registers all its requesters in one (``Requesters``).
The embedded default (SQLite) finds, then inserts in a savepoint."""
from functools import lru_cache

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app.customers.models import Customer, Organization
from app.customers.service import customer_by_email, organization_for_email
from app.db_types import utcnow
from app.errors import ValidationFailed
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


# The same for several addresses at once (a batch of mail): one statement.
_FIND_OR_INSERT_MANY = text("""
    WITH wanted AS (
        SELECT w.email, w.name, w.domain, w.position
        FROM unnest(CAST(:emails AS text[]), CAST(:names AS text[]), CAST(:domains AS text[]))
             WITH ORDINALITY AS w(email, name, domain, position)),
    found AS (
        SELECT id, email, name, organization_id, created_at FROM customers
        WHERE tenant_id = :tenant_id AND email = ANY(CAST(:emails AS text[]))),
    made AS (
        INSERT INTO customers (tenant_id, email, name, organization_id, created_at)
        SELECT :tenant_id, w.email, w.name,
               (SELECT id FROM organizations WHERE tenant_id = :tenant_id
                  AND domains @> to_jsonb(w.domain) ORDER BY id LIMIT 1),
               :now
        FROM wanted w WHERE NOT EXISTS (SELECT 1 FROM found f WHERE f.email = w.email)
        ORDER BY w.position
        ON CONFLICT (tenant_id, email) DO NOTHING
        RETURNING id, email, name, organization_id, created_at)
    SELECT id, email, name, organization_id, created_at, false AS made FROM found
    UNION ALL
    SELECT id, email, name, organization_id, created_at, true FROM made
""")


@lru_cache(maxsize=4096)
def _normalized(email: str) -> str:
    """``normalize_email``, remembered: a mailbox hears from the same people again and
    again, and the validator's parse costs more than the rest of their registration."""
    return normalize_email(email)


class Requesters:
    """The requesters of several messages (a batch of mail), found or registered together
    in one statement (PostgreSQL; elsewhere nothing is prepared). ``take`` then hands each
    out as ``find_or_register`` would have: new the first time, a missing name filled in
    later; an address not prepared is None, and the caller registers it the usual way."""

    def __init__(self, pairs: list[tuple[str, str | None]]):
        self.known: dict[str, list] = {}  # address as given -> [customer, not taken yet]
        if not pairs or db.session.get_bind().dialect.name != "postgresql":
            return
        wanted: dict[str, str] = {}  # normalized address -> the first name given
        given: dict[str, str] = {}  # address as given -> normalized
        for email, name in pairs:
            if email in given:
                continue
            try:
                given[email] = normalized = _normalized(email)
            except ValidationFailed:  # its message fails the usual way
                continue
            wanted.setdefault(normalized, (name or "").strip()[:200])
        if not wanted:
            return
        tenant_id = context.current_tenant_id()
        emails = list(wanted)
        rows = db.session.connection().execute(_FIND_OR_INSERT_MANY, {
            "tenant_id": tenant_id, "emails": emails, "names": [wanted[e] for e in emails],
            "domains": [e.rsplit("@", 1)[-1] for e in emails], "now": utcnow()}).all()
        by_email = {}
        for row in rows:
            customer = attach(Customer(tenant_id=tenant_id, id=row.id, email=row.email,
                                       name=row.name, organization_id=row.organization_id,
                                       created_at=row.created_at))
            by_email[row.email] = [customer, row.made]
        # An address a parallel registration took meanwhile has no row: not prepared.
        self.known = {email: by_email[normalized] for email, normalized in given.items()
                      if normalized in by_email}

    def take(self, email: str, name: str | None = None) -> tuple[Customer, bool] | None:
        """(the customer, whether this is its first message) for ``email``, or None."""
        entry = self.known.get(email)
        if entry is None:
            return None
        customer, made = entry
        entry[1] = False
        name = (name or "").strip()[:200]
        if not made and name and not customer.name:
            customer.name = name
        return customer, made


def register_requester(*, email: str, name: str | None = None,
                       requesters: Requesters | None = None) -> Customer:
    """The customer with ``email``, created on first contact (matched to an organization by
    domain). A later message with a name fills in a missing one; it never renames.
    ``requesters``: the batch's, prepared beforehand (see ``Requesters``)."""
    taken = requesters.take(email, name) if requesters is not None else None
    customer, made = taken or find_or_register(email=email, name=name)
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
