"""What the foundation announces about a tenant, for the areas above to fill in (it lives
here, not with its sender in ``app.onboarding``, so that billing can listen without importing
an area above it). Receivers connect with ``sender=app`` in their area's ``init_app`` and are
called as ``receiver(app, **keywords)``; blinker calls them in no set order, so each must fill
in keys of its own."""
from blinker import Namespace
from flask import current_app

_signals = Namespace()
# ``tenant``, ``out``: ``GET /api/v1/tenant`` is being answered; receivers fill in ``out``
# (billing: the plan's limits, the day's usage, add-ons).
tenant_summary = _signals.signal("tenant_summary")


def describe(tenant, out: dict) -> None:
    tenant_summary.send(current_app._get_current_object(), tenant=tenant, out=out)
