"""What billing plugs into the app: its pages, API, Stripe webhook, the operator's billing
commands, the suspension guard, its banners and nav entry, and its part of the tenant API
(the operator's console is ``app.operator``).

Billing sits below the areas, so it connects nothing to their signals: the ticket desk and
the staff area connect billing's gates to their own stages (``app.tickets.wiring``,
``app.staff.wiring``) and answer what billing asks (``billing.signals``)."""
from flask_babel import lazy_gettext as _l

from app import navigation
from app.extensions import csrf
from billing import api
from billing.banners import billing_banners
from billing.cli import billing_cli
from billing.suspension import suspension_guard
from billing.views import bp as billing_bp
from billing.webhook import bp as webhook_bp
from tenants.signals import tenant_summary


def init_app(app) -> None:
    app.register_blueprint(billing_bp)
    app.register_blueprint(webhook_bp)
    csrf.exempt(webhook_bp)  # Stripe signs the body; there is no browser session
    app.before_request(suspension_guard)
    app.cli.add_command(billing_cli)
    # The plan and usage in GET /api/v1/tenant (importing ``api`` registers its endpoints).
    tenant_summary.connect(api.tenant_details, sender=app)
    navigation.add_banners(app, billing_banners)
    navigation.add_entry(app, "billing.index", _l("Billing"), ("admin",))
