"""What the departments area announces. Receivers connect with ``sender=app`` in their
area's ``init_app`` and are called as ``receiver(app, **keywords)``; blinker calls them in
no set order, so none may depend on another."""
from blinker import Namespace
from flask import current_app

_signals = Namespace()
# ``department_id``: each receiver returns how many of its rows use the department (tickets
# do), so that a department in use is never deleted out from under them.
department_deleting = _signals.signal("department_deleting")


def rows_using(department_id: int) -> int:
    replies = department_deleting.send(current_app._get_current_object(),
                                       department_id=department_id)
    return sum(count for _receiver, count in replies)
