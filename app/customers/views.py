"""Pages: customers (list, search, a customer with their tickets) and organizations.
Who may do what is the service's rule: a refused change is the 403 page."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.customers import service
from app.customers.models import Customer, Organization
from app.errors import Forbidden, ServiceError
from app.extensions import db
from app.tickets.display import due_state, names_by_id, people
from app.tickets.listing import page, ticket_query
from app.ui import apply_form_errors, int_or_none, staff_page

bp = Blueprint("customers", __name__, url_prefix="/app")
PAGE = 50


class CustomerForm(FlaskForm):
    name = StringField(_l("Name"), validators=[Optional(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    organization_id = SelectField(_l("Organization"), choices=[], validate_choice=False)


class OrganizationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    domains = StringField(_l("E-mail domains"), validators=[Length(max=2000)],
                          description=_l("Comma-separated, e.g. example.com, example.org: "
                                         "new customers from them join this organization"))


def _organizations() -> list[Organization]:
    return db.session.scalars(service.organizations_query(actor=current_user)
                              .order_by(Organization.name)).all()


def _with_organizations(form: CustomerForm) -> CustomerForm:
    form.organization_id.choices = [("", _("None"))] + [
        (str(o.id), o.name) for o in _organizations()]
    return form


def _tickets(**filters) -> dict:
    """One page of the tickets the current agent may see, with what the rows show."""
    result = page(ticket_query(current_user, archived=None, **filters),
                  cursor=int_or_none(request.args.get("cursor")), limit=PAGE)
    lookups = people()
    return {"tickets": result.items, "next_cursor": result.next_cursor, "args": request.args,
            "due_state": due_state, "department_names": names_by_id(lookups["departments"]),
            "staff_names": names_by_id(lookups["staff"])}


@bp.route("/customers/", methods=["GET", "POST"])
@staff_page()
def customers():
    form = _with_organizations(CustomerForm())
    if form.validate_on_submit():
        try:
            customer = service.create_customer(
                actor=current_user, email=form.email.data, name=form.name.data or "",
                organization_id=int_or_none(form.organization_id.data))
            return redirect(url_for(".customer", customer_id=customer.id))
        except ServiceError as exc:
            apply_form_errors(form, exc)
    q = request.args.get("q", "").strip()
    organization_id = int_or_none(request.args.get("organization_id"))
    stmt = service.customers_query(actor=current_user, q=q or None,
                                   organization_id=organization_id)
    before = int_or_none(request.args.get("before"))
    if before:
        stmt = stmt.where(Customer.id < before)
    rows = db.session.scalars(stmt.order_by(Customer.id.desc()).limit(PAGE + 1)).all()
    return render_template("customers/index.html", form=form, customers=rows[:PAGE],
                           more=len(rows) > PAGE, q=q, organization_id=organization_id,
                           organizations=_organizations(), args=request.args)


@bp.route("/customers/<int:customer_id>", methods=["GET", "POST"])
@staff_page()
def customer(customer_id: int):
    record = service.view_customer(actor=current_user, customer_id=customer_id)
    form = _with_organizations(CustomerForm(obj=record))
    if request.method == "GET":
        form.organization_id.data = str(record.organization_id or "")
    if form.validate_on_submit():
        try:
            service.update_customer(actor=current_user, customer_id=record.id, changes={
                "name": form.name.data or "", "email": form.email.data,
                "organization_id": int_or_none(form.organization_id.data)})
            flash(_("Saved."), "success")
            return redirect(url_for(".customer", customer_id=record.id))
        except Forbidden:
            raise
        except ServiceError as exc:
            apply_form_errors(form, exc)
    organization = (db.session.get(Organization, record.organization_id)
                    if record.organization_id else None)
    return render_template("customers/customer.html", customer=record, form=form,
                           organization=organization, can_edit=service.can_edit(current_user),
                           **_tickets(customer_id=record.id))


@bp.route("/organizations/", methods=["GET", "POST"])
@staff_page()
def organizations():
    form = OrganizationForm()
    if form.validate_on_submit():
        try:
            organization = service.create_organization(
                actor=current_user, name=form.name.data, domains=_split(form.domains.data))
            flash(_("Organization “%(name)s” created.", name=organization.name), "success")
            return redirect(url_for(".organizations"))
        except Forbidden:
            raise
        except ServiceError as exc:
            apply_form_errors(form, exc)
    return render_template("customers/organizations.html", form=form,
                           organizations=_organizations(),
                           can_edit=service.can_edit(current_user))


def _split(raw: str | None) -> list[str]:
    return [part.strip() for part in (raw or "").replace(";", ",").split(",") if part.strip()]


@bp.route("/organizations/<int:organization_id>", methods=["GET", "POST"])
@staff_page()
def organization(organization_id: int):
    record = service.view_organization(actor=current_user, organization_id=organization_id)
    form = OrganizationForm(obj=record)
    if request.method == "GET":
        form.domains.data = ", ".join(record.domains or [])
    if form.validate_on_submit():
        try:
            service.update_organization(actor=current_user, organization_id=record.id,
                                        name=form.name.data, domains=_split(form.domains.data))
            flash(_("Saved."), "success")
            return redirect(url_for(".organization", organization_id=record.id))
        except Forbidden:
            raise
        except ServiceError as exc:
            apply_form_errors(form, exc)
    members = db.session.scalars(
        service.customers_query(actor=current_user, organization_id=record.id)
        .order_by(Customer.name, Customer.email).limit(200)).all()
    return render_template("customers/organization.html", organization=record, form=form,
                           members=members, can_edit=service.can_edit(current_user),
                           **_tickets(organization_id=record.id))


@bp.post("/organizations/<int:organization_id>/delete")
@staff_page()
def delete_organization(organization_id: int):
    service.delete_organization(actor=current_user, organization_id=organization_id)
    flash(_("Organization deleted; its customers and tickets are kept."), "success")
    return redirect(url_for(".organizations"))
