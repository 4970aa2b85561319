"""Tickets: the agents' workspace — numbering, conversation, workflow, search, access."""
from importlib.util import find_spec


def init_app(app) -> None:
    from app.customers.service import organization_unlinks
    from app.departments.service import usage_checks
    from app.staff.service import staff_references
    from app.tickets import api as _api  # noqa: F401  (registers the API endpoints)
    from app.tickets import api_actions as _actions  # noqa: F401
    from app.tickets import api_fields as _fields  # noqa: F401
    from app.tickets.housekeeping import (
        references_to_staff,
        unlink_organization,
        usage_of_department,
    )

    for hooks, fn in ((usage_checks, usage_of_department),
                      (staff_references, references_to_staff),
                      (organization_unlinks, unlink_organization)):
        if fn not in hooks:
            hooks.append(fn)
    from flask_babel import lazy_gettext as _l

    from app.tickets.views_settings import bp as settings_bp
    from app.views_setup import NAV

    app.register_blueprint(settings_bp)
    if not any(endpoint == "ticket_settings.index" for endpoint, _, _ in NAV):
        NAV.append(("ticket_settings.index", _l("Ticket settings"), ("admin",)))
    # The staff pages (inbox, ticket page) live in app/tickets/views.py.
    if find_spec("app.tickets.views") is not None:
        from app.tickets.views import bp

        if bp.name not in app.blueprints:
            app.register_blueprint(bp)
