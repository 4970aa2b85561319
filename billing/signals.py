"""What billing asks of the areas above it.

Billing sits below the areas: they call its gates (the plan's staff limit, the daily ticket
quota, add-ons), so it imports none of them. Where it needs their facts — how many staff,
who the admins are, which tickets wait for quota — it asks through these signals; the staff
area and the ticket desk connect their receivers with ``sender=app`` in their ``init_app``,
and are called as ``receiver(app, **keywords)``. With no receiver (billing without the
desk) the answers are empty: nobody counted, nothing waiting, nothing released.
"""
from blinker import Namespace
from flask import current_app

_signals = Namespace()
# ``tenant_id``: how many active staff members the tenant has (the plan's staff limit).
staff_counting = _signals.signal("staff_counting")
# ``tenant_id``: the addresses billing's letters go to (the staff area: every active admin).
recipients_listing = _signals.signal("recipients_listing")
# ``tenant_id``: how many of the tenant's tickets are stored deferred, waiting for quota.
deferred_counting = _signals.signal("deferred_counting")
# No keywords; sent in platform scope: the ids of tenants, not suspended, whose tickets wait.
deferred_finding = _signals.signal("deferred_finding")
# ``tenant_id``, ``limit``: bring up to ``limit`` deferred tickets of the (current) tenant
# live, oldest first; each receiver returns how many it released.
deferred_releasing = _signals.signal("deferred_releasing")


def _replies(signal, **keywords) -> list:
    return [value for _receiver, value in
            signal.send(current_app._get_current_object(), **keywords)]


def count_active_staff(tenant_id: int) -> int:
    return sum(_replies(staff_counting, tenant_id=tenant_id))


def letter_recipients(tenant_id: int) -> list[str]:
    return [address for reply in _replies(recipients_listing, tenant_id=tenant_id)
            for address in reply]


def count_deferred(tenant_id: int) -> int:
    return sum(_replies(deferred_counting, tenant_id=tenant_id))


def tenants_with_deferred() -> list[int]:
    return sorted({tenant_id for reply in _replies(deferred_finding) for tenant_id in reply})


def release_waiting(tenant_id: int, limit: int) -> int:
    return sum(_replies(deferred_releasing, tenant_id=tenant_id, limit=limit))
