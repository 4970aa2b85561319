"""Company settings: name, default language and time zone (service, API and page)."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from pydantic import BaseModel, Field
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from app.api.core import endpoint
from app.api.limits import Choice
from app.errors import ServiceError, ValidationFailed
from app.events.service import record_event
from app.languages import LANGUAGE_CHOICES, LANGUAGES
from app.settings_cache import settings_changed
from app.ui import apply_form_errors, staff_page
from tenants.models import Tenant
from tenants.resolve import current_tenant
from tenants.zones import is_timezone, timezone_choices

bp = Blueprint("company", __name__, url_prefix="/app/company")


def update_tenant(*, actor, name: str | None = None, language: str | None = None,
                  timezone: str | None = None) -> Tenant:
    """Change the current tenant's name, default language or time zone."""
    tenant = current_tenant()
    fields = {}
    if name is not None and not (1 <= len(name.strip()) <= 200):
        fields["name"] = _("Enter the company name (up to 200 characters).")
    if language is not None and language not in LANGUAGES:
        fields["language"] = _("Choose one of: %(values)s.", values=", ".join(LANGUAGES))
    if timezone is not None and not is_timezone(timezone):
        fields["timezone"] = _("Unknown time zone; use a name such as Europe/Moscow.")
    if fields:
        raise ValidationFailed(fields=fields)
    before = {"name": tenant.name, "language": tenant.language, "timezone": tenant.timezone}
    if name is not None:
        tenant.name = name.strip()
    if language is not None:
        tenant.language = language
    if timezone is not None:
        tenant.timezone = timezone
    after = {"name": tenant.name, "language": tenant.language, "timezone": tenant.timezone}
    if after != before:
        settings_changed()  # the language is cached with the widget's form
        record_event(actor, "tenant.updated", tenant, {"before": before, "after": after})
    return tenant


class TenantPatch(BaseModel):
    name: str | None = Field(None, max_length=200)
    language: Choice | None = None
    timezone: str | None = Field(None, max_length=64)


class TenantSettings(BaseModel):
    slug: str
    name: str
    language: str
    timezone: str


def settings_json(tenant: Tenant) -> dict:
    return {"slug": tenant.slug, "name": tenant.name, "language": tenant.language,
            "timezone": tenant.timezone}


@endpoint("/tenant", "PATCH", summary="Change the company name, language or time zone",
          tag="tenant", body=TenantPatch, response=TenantSettings, roles=("admin",))
def api_update_tenant(staff, data: TenantPatch):
    tenant = update_tenant(actor=staff, **data.model_dump(exclude_unset=True))
    return settings_json(tenant)


class CompanyForm(FlaskForm):
    name = StringField(_l("Company name"), validators=[DataRequired(), Length(max=200)])
    language = SelectField(_l("Default language"), choices=LANGUAGE_CHOICES)
    timezone = SelectField(_l("Time zone"),
                           choices=timezone_choices)


@bp.route("/", methods=["GET", "POST"])
@staff_page("admin")
def edit():
    tenant = current_tenant()
    form = CompanyForm(obj=tenant)
    if form.validate_on_submit():
        try:
            update_tenant(actor=current_user, name=form.name.data, language=form.language.data,
                          timezone=form.timezone.data)
            flash(_("Saved."), "success")
            return redirect(url_for(".edit"))
        except ServiceError as exc:
            apply_form_errors(form, exc)
    return render_template("web/company.html", form=form, tenant=tenant)
