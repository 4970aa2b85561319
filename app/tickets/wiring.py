"""What the ticket desk plugs into the app: its pages, settings and API endpoints, its nav
entries, its receivers, and billing's daily quota with the facts billing asks for."""
from flask_babel import lazy_gettext as _l

from app import navigation
from app.customers.signals import organization_deleting
from app.departments.signals import department_deleting
from app.staff.signals import staff_deleting
from app.tickets import api as _api  # noqa: F401  (registers the API endpoints)
from app.tickets import api_actions as _actions  # noqa: F401
from app.tickets import api_fields as _fields  # noqa: F401
from app.tickets.deferred import count_waiting, release_waiting, tenants_waiting
from app.tickets.housekeeping import references_to_staff, unlink_organization, usage_of_department
from app.tickets.signals import ticket_admitting
from app.tickets.views import bp
from app.tickets.views_settings import bp as settings_bp
from billing.limits import admit_ticket
from billing.signals import deferred_counting, deferred_finding, deferred_releasing


def init_app(app) -> None:
    # Tickets keep their departments, staff history and organization links consistent.
    department_deleting.connect(usage_of_department, sender=app)
    staff_deleting.connect(references_to_staff, sender=app)
    organization_deleting.connect(unlink_organization, sender=app)
    # Billing sits below the areas: its gate (suspension, the daily quota) decides whether a
    # new ticket goes live, and it releases what waited through what it asks of the desk.
    ticket_admitting.connect(admit_ticket, sender=app)
    deferred_counting.connect(count_waiting, sender=app)
    deferred_finding.connect(tenants_waiting, sender=app)
    deferred_releasing.connect(release_waiting, sender=app)
    app.register_blueprint(settings_bp)
    app.register_blueprint(bp)  # the staff pages: inbox, ticket page, new ticket
    # An agent's daily page: right after the dashboard (customers follow at 20).
    navigation.add_entry(app, "tickets.inbox", _l("Tickets"), order=10)
    navigation.add_entry(app, "ticket_settings.index", _l("Ticket settings"), ("admin",))
