"""Signup: a company, its admin, a default department, a widget key and the trial credit."""
import secrets
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import text

from app.auth.models import ApiToken
from app.auth.tokens import create_token
from app.departments.service import create_department
from app.errors import Conflict, ValidationFailed
from app.events.service import record_event
from app.extensions import db
from app.languages import LANGUAGES
from app.onboarding.slugs import slug_problem
from app.staff.service import create_first_admin, normalize_email, set_department_access
from billing.ledger import post_entry
from tenants import context
from tenants.models import Tenant
from tenants.passwords import password_problem
from tenants.resolve import current_tenant, tenant_id_by_slug


@dataclass
class SignupResult:
    tenant: Tenant
    admin: object
    token: ApiToken
    token_plaintext: str


def _validate(*, company_name, slug, admin_name, admin_email, password, language) -> str:
    fields = {}
    if not (company_name or "").strip() or len(company_name.strip()) > 200:
        fields["company_name"] = _("Enter the company name (up to 200 characters).")
    problem = slug_problem(slug)
    if problem:
        fields["slug"] = problem
    if not (admin_name or "").strip() or len(admin_name.strip()) > 200:
        fields["admin_name"] = _("Enter your name (up to 200 characters).")
    try:
        email = normalize_email(admin_email)
    except ValidationFailed:
        fields["admin_email"] = _("Enter a valid e-mail address.")
        email = ""
    problem = password_problem(password or "", personal=(slug or "", email.split("@")[0]))
    if problem:
        fields["password"] = problem
    if language not in LANGUAGES:
        fields["language"] = _("Choose one of: %(values)s.", values=", ".join(LANGUAGES))
    if fields:
        raise ValidationFailed(fields=fields)
    return email


def _new_tenant_id() -> int | None:
    """PostgreSQL: the new tenant's id, taken before the row exists so that the row can be
    written inside its own tenant context. The embedded default has no row-level security
    and numbers the row on insert (None)."""
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        return None
    return connection.execute(text("SELECT nextval(pg_get_serial_sequence('tenants', 'id'))")
                              ).scalar()


def sign_up(*, company_name: str, slug: str, admin_name: str, admin_email: str, password: str,
            language: str = "en") -> SignupResult:
    """Create a tenant on the Standard plan with everything it needs to start."""
    slug = (slug or "").strip().lower()
    email = _validate(company_name=company_name, slug=slug, admin_name=admin_name,
                      admin_email=admin_email, password=password, language=language)
    if tenant_id_by_slug(slug) is not None:  # the unique index still decides a race
        raise Conflict(_("The address “%(slug)s” is taken.", slug=slug),
                       fields={"slug": _("This address is taken.")})
    tenant_id = _new_tenant_id()
    if tenant_id is not None:
        context.set_tenant(tenant_id)  # row-level security checks the new row against it
    db.session.add(Tenant(id=tenant_id, slug=slug, name=company_name.strip(), plan="standard",
                          language=language, currency=current_app.config["CURRENCY"],
                          balance=0, widget_key=secrets.token_urlsafe(18)))
    db.session.flush()
    tenant_id = tenant_id or db.session.scalar(
        text("SELECT id FROM tenants WHERE slug = :slug"), {"slug": slug})
    context.set_tenant(tenant_id)
    tenant = current_tenant()
    record_event({"type": "anonymous", "name": admin_name.strip()}, "tenant.signed_up", tenant,
                 {"slug": slug, "name": tenant.name, "plan": tenant.plan})
    admin = create_first_admin(name=admin_name, email=email, password=password,
                               language=language)
    with force_locale(language):
        support = create_department(actor=admin, name=_("Support"))
    set_department_access(actor=admin, staff=admin, access={support.id: "manage"})
    trial = current_app.config["TRIAL_CREDIT"]
    entry = post_entry(tenant_id=tenant.id, kind="trial_credit", amount=trial,
                       reference="signup")
    record_event(None, "billing.credited", ("ledger_entry", entry.id),
                 {"kind": "trial_credit", "amount": trial})
    token, plaintext = create_token(admin, "signup")
    return SignupResult(tenant=tenant, admin=admin, token=token, token_plaintext=plaintext)
