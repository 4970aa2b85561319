"""What the staff area announces. Receivers connect with ``sender=app`` in their area's
``init_app`` and are called as ``receiver(app, **keywords)``; blinker calls them in no set
order, so none may depend on another."""
from blinker import Namespace
from flask import current_app

_signals = Namespace()
# ``tenant_id``: a staff member is about to be added; a receiver raises to refuse (billing's
# staff limit, ``PlanLimit``, connected by ``app.staff.wiring``: billing sits below the staff
# area), and the exception reaches the caller.
staff_adding = _signals.signal("staff_adding")
# ``staff_id``: each receiver returns how many of its rows keep the person's history
# (tickets, messages, files); someone referenced is deactivated instead of deleted.
staff_deleting = _signals.signal("staff_deleting")


def check_adding(tenant_id: int | None) -> None:
    staff_adding.send(current_app._get_current_object(), tenant_id=tenant_id)


def references_to(staff_id: int) -> int:
    replies = staff_deleting.send(current_app._get_current_object(), staff_id=staff_id)
    return sum(count for _receiver, count in replies)
