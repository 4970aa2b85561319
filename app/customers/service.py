"""Customers and organizations: automatic registration by e-mail, domain matching, editing.

Rights, for the page and the API alike:

* Reading customers and organizations — every staff member: an agent needs to know who
  writes and for which company. (A customer's tickets stay behind the department rights.)
* Adding a customer by hand — every staff member: an agent takes a request by phone or in
  person and registers the caller, as a first message would have.
* Changing a customer, and creating, changing or deleting organizations — admins and
  managers. An e-mail address decides whose tickets a letter joins and a domain list whom
  the desk counts as a company's people; that is account data, kept by those who run the
  desk, and every change is in the event log they read.

Registration by a first message (``registration.register_requester``) is the system's, not
a person's.
"""
import re

from flask_babel import gettext as _
from sqlalchemy import func, or_, select, update

from app.customers import signals
from app.customers.models import Customer, Organization
from app.errors import Conflict, NotFound, ValidationFailed
from app.events.service import record_event
from app.extensions import db
from app.staff.roles import EVERYONE, MANAGERS, has_role, require_role
from app.staff.service import normalize_email

READERS = EVERYONE
CREATORS = EVERYONE  # of customers, by hand
EDITORS = MANAGERS
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def can_edit(actor) -> bool:
    """Whether ``actor`` may change customers and organizations (pages hide the controls)."""
    return has_role(actor, EDITORS)


def view_customer(*, actor, customer_id: int) -> Customer:
    """One customer, for a staff member to read (404 when they aren't there)."""
    require_role(actor, READERS)
    return get_customer(customer_id)


def get_customer(customer_id: int) -> Customer:
    customer = db.session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(_("Customer not found."))
    return customer


def customer_by_email(email: str) -> Customer | None:
    return db.session.scalar(select(Customer).where(Customer.email == email.strip().lower()))


def organization_for_email(email: str) -> Organization | None:
    """The organization whose domain list holds the e-mail's domain (first by id)."""
    domain = email.rsplit("@", 1)[-1].lower()
    for organization in db.session.scalars(select(Organization).order_by(Organization.id)):
        if domain in (organization.domains or []):
            return organization
    return None


def create_customer(*, actor, email: str, name: str = "",
                    organization_id: int | None = None) -> Customer:
    """Add a customer by hand (staff); the e-mail must be new in this tenant."""
    require_role(actor, CREATORS)
    email = normalize_email(email)
    if customer_by_email(email) is not None:
        raise Conflict(_("%(email)s is already a customer.", email=email),
                       fields={"email": _("Already a customer.")})
    if organization_id is not None:
        get_organization(organization_id)
    else:
        match = organization_for_email(email)
        organization_id = match.id if match else None
    customer = Customer(email=email, name=(name or "").strip()[:200],
                        organization_id=organization_id)
    db.session.add(customer)
    db.session.flush()
    record_event(actor, "customer.created", customer,
                 {"email": email, "name": customer.name, "organization_id": organization_id})
    return customer


def update_customer(*, actor, customer_id: int, changes: dict) -> Customer:
    """Change name, e-mail or organization (``changes`` holds only what was sent)."""
    require_role(actor, EDITORS)
    customer = get_customer(customer_id)
    before = {"email": customer.email, "name": customer.name,
              "organization_id": customer.organization_id}
    if "name" in changes:
        customer.name = (changes["name"] or "").strip()[:200]
    if "email" in changes and changes["email"] is not None:
        email = normalize_email(changes["email"])
        other = customer_by_email(email)
        if other is not None and other.id != customer.id:
            raise Conflict(_("%(email)s is already a customer.", email=email),
                           fields={"email": _("Already a customer.")})
        customer.email = email
    if "organization_id" in changes:
        if changes["organization_id"] is not None:
            get_organization(changes["organization_id"])
        customer.organization_id = changes["organization_id"]
    after = {"email": customer.email, "name": customer.name,
             "organization_id": customer.organization_id}
    if after != before:
        db.session.flush()
        record_event(actor, "customer.updated", customer, {"before": before, "after": after})
    return customer


def customers_query(*, actor, q: str | None = None, organization_id: int | None = None):
    """The customers a staff member looks for: by part of the e-mail or name, or in an
    organization (unordered: the page and the API each page it their way)."""
    require_role(actor, READERS)
    stmt = select(Customer)
    if q:
        like = f"%{q.strip().lower()}%"
        stmt = stmt.where(or_(Customer.email.like(like), func.lower(Customer.name).like(like)))
    if organization_id is not None:
        stmt = stmt.where(Customer.organization_id == organization_id)
    return stmt


# Organizations

def organizations_query(*, actor):
    """Every organization, for a staff member to read (unordered)."""
    require_role(actor, READERS)
    return select(Organization)


def view_organization(*, actor, organization_id: int) -> Organization:
    """One organization, for a staff member to read (404 when it isn't there)."""
    require_role(actor, READERS)
    return get_organization(organization_id)


def get_organization(organization_id: int) -> Organization:
    organization = db.session.get(Organization, organization_id)
    if organization is None:
        raise NotFound(_("Organization not found."))
    return organization


def _clean_domains(domains: list[str] | None) -> list[str]:
    cleaned = []
    for raw in domains or []:
        domain = (raw or "").strip().lower().lstrip("@")
        if not _DOMAIN.match(domain):
            raise ValidationFailed(fields={"domains": _("“%(domain)s” is not a domain name.",
                                                        domain=raw)})
        if domain not in cleaned:
            cleaned.append(domain)
    return cleaned


def _clean_org_name(name: str, exclude_id: int | None = None) -> str:
    name = (name or "").strip()
    if not 1 <= len(name) <= 200:
        raise ValidationFailed(fields={"name": _("Enter a name of 1–200 characters.")})
    stmt = select(Organization.id).where(func.lower(Organization.name) == name.lower())
    if exclude_id is not None:
        stmt = stmt.where(Organization.id != exclude_id)
    if db.session.scalar(stmt) is not None:
        raise Conflict(_("An organization named “%(name)s” already exists.", name=name),
                       fields={"name": _("This name is taken.")})
    return name


def create_organization(*, actor, name: str, domains: list[str] | None = None) -> Organization:
    """Create an organization; customers with its domains join it when they first write."""
    require_role(actor, EDITORS)
    organization = Organization(name=_clean_org_name(name), domains=_clean_domains(domains))
    db.session.add(organization)
    db.session.flush()
    record_event(actor, "organization.created", organization,
                 {"name": organization.name, "domains": organization.domains})
    return organization


def update_organization(*, actor, organization_id: int, name: str | None = None,
                        domains: list[str] | None = None) -> Organization:
    """Rename an organization or change its domains (existing customers stay where they are)."""
    require_role(actor, EDITORS)
    organization = get_organization(organization_id)
    before = {"name": organization.name, "domains": list(organization.domains or [])}
    if name is not None:
        organization.name = _clean_org_name(name, exclude_id=organization.id)
    if domains is not None:
        organization.domains = _clean_domains(domains)
    after = {"name": organization.name, "domains": list(organization.domains or [])}
    if after != before:
        db.session.flush()
        record_event(actor, "organization.updated", organization,
                     {"before": before, "after": after})
    return organization


def delete_organization(*, actor, organization_id: int) -> None:
    """Delete an organization; its customers and tickets simply lose the link."""
    require_role(actor, EDITORS)
    organization = get_organization(organization_id)
    db.session.execute(update(Customer).where(Customer.organization_id == organization.id)
                       .values(organization_id=None))
    signals.unlink(organization.id)
    record_event(actor, "organization.deleted", organization, {"name": organization.name})
    db.session.delete(organization)
    db.session.flush()
