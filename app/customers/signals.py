"""What the customers area announces. Receivers connect with ``sender=app`` in their area's
``init_app`` and are called as ``receiver(app, **keywords)``; blinker calls them in no set
order, so none may depend on another."""
from blinker import Namespace
from flask import current_app

_signals = Namespace()
# ``organization_id``: the organization is about to be deleted; areas whose rows point at it
# (tickets, routing rules) drop the link.
organization_deleting = _signals.signal("organization_deleting")


def unlink(organization_id: int) -> None:
    organization_deleting.send(current_app._get_current_object(),
                               organization_id=organization_id)
