"""Billing: plans and add-ons, limits and quotas, the ledger, daily charges, Stripe top-ups."""


def _append_once(hooks: list, fn) -> None:
    # init_app runs once per app; the hook lists are module-level and shared.
    if fn not in hooks:
        hooks.append(fn)


def connect_ticket_desk() -> bool:
    """Register the daily quota with the ticket desk's ``admission_checks`` (a ticket
    over the quota, or of a suspended tenant, is stored deferred). False while the
    ticket desk is not installed."""
    try:
        from app.tickets.hooks import admission_checks
    except ImportError:
        try:
            from app.tickets.service import admission_checks
        except ImportError:
            return False
    from billing.limits import admit_ticket

    _append_once(admission_checks, admit_ticket)
    return True


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from app.extensions import csrf
    from app.staff.service import before_staff_added
    from app.views_setup import BANNERS, NAV
    from billing import api as _api  # noqa: F401  (registers the API endpoints)
    from billing.banners import billing_banners
    from billing.cli import billing_cli
    from billing.limits import check_staff_limit
    from billing.operator import bp as operator_bp
    from billing.suspension import suspension_guard
    from billing.views import bp as billing_bp
    from billing.webhook import bp as webhook_bp
    from tenants.api import tenant_details

    app.register_blueprint(billing_bp)
    app.register_blueprint(operator_bp)
    app.register_blueprint(webhook_bp)
    csrf.exempt(webhook_bp)  # Stripe signs the body; there is no browser session
    app.before_request(suspension_guard)
    app.cli.add_command(billing_cli)

    _append_once(before_staff_added, check_staff_limit)
    _append_once(tenant_details, _api.tenant_details)
    _append_once(BANNERS, billing_banners)
    if not any(endpoint == "billing.index" for endpoint, _label, _roles in NAV):
        NAV.append(("billing.index", _l("Billing"), ("admin",)))
    connect_ticket_desk()
