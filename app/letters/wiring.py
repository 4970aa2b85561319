"""What the letters area plugs into the app: the editor's page and API, the nav entry, and
the receivers that send letters when tickets arrive, get answers, are resolved or assigned."""
from flask_babel import lazy_gettext as _l

from app import navigation
from app.letters import api as _api  # noqa: F401  (registers the API endpoints)
from app.letters import receivers
from app.letters.views import bp
from app.spam.signals import ticket_released
from app.tickets.signals import (
    ticket_assigned,
    ticket_changed,
    ticket_created,
    ticket_replied,
    ticket_resolved,
)


def init_app(app) -> None:
    app.register_blueprint(bp)
    ticket_created.connect(receivers.on_created, sender=app)
    ticket_changed.connect(receivers.on_changed, sender=app)
    ticket_released.connect(receivers.on_not_spam, sender=app)
    ticket_replied.connect(receivers.on_replied, sender=app)
    ticket_resolved.connect(receivers.on_resolved, sender=app)
    ticket_assigned.connect(receivers.on_assigned, sender=app)
    navigation.add_entry(app, "letters.index", _l("Letters"), ("admin",))
