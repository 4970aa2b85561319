"""Tickets: the agents' workspace — numbering, conversation, workflow, search, access."""
from flask_babel import lazy_gettext as _l

from app import navigation


def init_app(app) -> None:
    from app.customers.signals import organization_deleting
    from app.departments.signals import department_deleting
    from app.staff.signals import staff_deleting
    from app.tickets import api as _api  # noqa: F401  (registers the API endpoints)
    from app.tickets import api_actions as _actions  # noqa: F401
    from app.tickets import api_fields as _fields  # noqa: F401
    from app.tickets.housekeeping import (
        references_to_staff,
        unlink_organization,
        usage_of_department,
    )
    from app.tickets.views import bp
    from app.tickets.views_settings import bp as settings_bp

    # Tickets keep their departments, staff history and organization links consistent.
    department_deleting.connect(usage_of_department, sender=app)
    staff_deleting.connect(references_to_staff, sender=app)
    organization_deleting.connect(unlink_organization, sender=app)
    app.register_blueprint(settings_bp)
    app.register_blueprint(bp)  # the staff pages: inbox, ticket page, new ticket
    # An agent's daily page: right after the dashboard (customers follow at 20).
    navigation.add_entry(app, "tickets.inbox", _l("Tickets"), order=10)
    navigation.add_entry(app, "ticket_settings.index", _l("Ticket settings"), ("admin",))
