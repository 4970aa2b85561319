"""SLA: business hours, holidays, targets per priority, and due times on every ticket."""


def install_hooks() -> None:
    """Recompute due times whenever a ticket is created or changes (idempotent)."""
    from app.sla.service import recompute_sla
    from app.tickets import hooks

    if recompute_sla not in hooks.after_ticket_changed:
        hooks.after_ticket_changed.append(recompute_sla)


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from app.sla import api as _api  # noqa: F401  (registers the API endpoints)
    from app.sla.views import bp
    from app.views_setup import NAV

    app.register_blueprint(bp)
    install_hooks()
    if not any(entry[0] == "sla.index" for entry in NAV):
        NAV.append(("sla.index", _l("SLA"), ("admin", "manager")))
