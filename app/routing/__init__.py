"""Routing rules: sort every new ticket (department, priority, type, assignee, tags)."""


def install_hooks() -> None:
    """Route tickets at creation on every channel; keep rules sane when an organization
    goes away (idempotent)."""
    from app.customers.service import organization_unlinks
    from app.routing.service import apply_routing, forget_organization
    from app.tickets import hooks

    for hook_list, fn in ((hooks.before_ticket_created, apply_routing),
                          (organization_unlinks, forget_organization)):
        if fn not in hook_list:
            hook_list.append(fn)


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from app.routing import api as _api  # noqa: F401  (registers the API endpoints)
    from app.routing.views import bp
    from app.views_setup import NAV

    app.register_blueprint(bp)
    install_hooks()
    if not any(entry[0] == "routing.index" for entry in NAV):
        NAV.append(("routing.index", _l("Routing"), ("admin", "manager")))
