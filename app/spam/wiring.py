"""What the spam area plugs into the app: the stop lists' page and API, "not spam", the
receivers that screen every new ticket, and the ticket page's notice."""
from flask_babel import lazy_gettext as _l

from app import navigation
from app.spam import api as _api  # noqa: F401  (registers the API endpoints)
from app.spam.service import held_because, note_held, screen_draft
from app.spam.views import bp
from app.tickets.signals import ticket_created, ticket_drafted


def init_app(app) -> None:
    ticket_drafted.connect(screen_draft, sender=app)
    ticket_created.connect(note_held, sender=app)
    app.register_blueprint(bp)
    app.add_template_global(held_because, "spam_held_because")  # the ticket page's notice
    navigation.add_entry(app, "spam.stop_lists", _l("Stop lists"), ("admin",))
