"""What the spam area announces. Receivers connect with ``sender=app`` in their area's
``init_app`` and are called as ``receiver(app, **keywords)``.

``ticket_released`` (``ticket``): a request held as spam was found genuine and went to the
inbox (flushed, not committed): the channel that took it may now send what it held back
(the widget's receipt letter).
"""
from blinker import Namespace
from flask import current_app

_signals = Namespace()
ticket_released = _signals.signal("ticket_released")


def released(ticket) -> None:
    ticket_released.send(current_app._get_current_object(), ticket=ticket)
