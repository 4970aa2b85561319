"""Billing: plans and add-ons, limits and quotas, the ledger, daily charges, Stripe top-ups."""


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from app import navigation
    from app.extensions import csrf
    from app.staff.signals import staff_adding
    from app.tickets.signals import ticket_admitting
    from billing import api as _api  # noqa: F401  (registers the API endpoints)
    from billing.banners import billing_banners
    from billing.cli import billing_cli
    from billing.limits import admit_ticket, check_staff_limit
    from billing.operator import bp as operator_bp
    from billing.suspension import suspension_guard
    from billing.views import bp as billing_bp
    from billing.webhook import bp as webhook_bp
    from tenants.signals import tenant_summary

    app.register_blueprint(billing_bp)
    app.register_blueprint(operator_bp)
    app.register_blueprint(webhook_bp)
    csrf.exempt(webhook_bp)  # Stripe signs the body; there is no browser session
    app.before_request(suspension_guard)
    app.cli.add_command(billing_cli)

    # The plan's staff limit; the daily quota (a ticket over it, or of a suspended tenant,
    # is stored deferred); the plan and usage in GET /api/v1/tenant.
    staff_adding.connect(check_staff_limit, sender=app)
    ticket_admitting.connect(admit_ticket, sender=app)
    tenant_summary.connect(_api.tenant_details, sender=app)
    navigation.add_banners(app, billing_banners)
    navigation.add_entry(app, "billing.index", _l("Billing"), ("admin",))
