"""API: signup and the current tenant."""
from flask import current_app
from pydantic import BaseModel, Field

from app.api.core import endpoint
from app.api.limits import EmailAddress
from app.languages import DEFAULT_LANGUAGE, Language
from app.money import to_decimal_string
from app.onboarding.signup import sign_up
from app.staff.service import staff_count
from tenants import context, signals
from tenants.models import Tenant
from tenants.resolve import current_tenant


class SignupIn(BaseModel):
    company_name: str = Field(max_length=200)
    slug: str = Field(max_length=40)
    admin_name: str = Field(max_length=200)
    admin_email: EmailAddress
    password: str = Field(max_length=200)
    language: Language = DEFAULT_LANGUAGE


class TenantSummary(BaseModel):
    slug: str
    name: str
    plan: str
    balance: str
    currency: str


class SignupOut(BaseModel):
    tenant: TenantSummary
    token: str


class TenantOut(TenantSummary):
    suspended: bool
    limits: dict[str, int | None]
    usage: dict[str, int]
    widget_key: str
    addons: list[str]


def tenant_summary(tenant: Tenant) -> dict:
    return {"slug": tenant.slug, "name": tenant.name, "plan": tenant.plan,
            "balance": to_decimal_string(tenant.balance), "currency": tenant.currency}


@endpoint("/signup", "POST", summary="Sign up a company", tag="tenant", body=SignupIn,
          response=SignupOut, status=201, auth=False, errors=(409, 429),
          rate_limit=lambda: current_app.config["SIGNUP_RATE_LIMIT"])
@context.resolves_own_tenant
def api_signup(data: SignupIn):
    result = sign_up(**data.model_dump())
    return {"tenant": tenant_summary(result.tenant), "token": result.token_plaintext}, 201


@endpoint("/tenant", "GET", summary="The current tenant, its limits and usage", tag="tenant",
          response=TenantOut)
def api_tenant(staff):
    tenant = current_tenant()
    out = tenant_summary(tenant) | {
        "suspended": tenant.suspended_at is not None, "widget_key": tenant.widget_key,
        "limits": {"staff": None, "tickets_per_day": None},
        "usage": {"staff": staff_count(), "tickets_today": 0, "tickets_deferred": 0},
        "addons": [],
    }
    signals.describe(tenant, out)  # billing: the plan's limits, the day's usage, add-ons
    return out
