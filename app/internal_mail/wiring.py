"""What internal mail plugs into the app: its pages and API, the nav entry with the unread
count, and its answer when a staff member is about to be removed."""
from flask_babel import lazy_gettext as _l

from app import navigation
from app.internal_mail import api as _api  # noqa: F401  (registers the API endpoints)
from app.internal_mail.housekeeping import references_to_staff, unread_badge
from app.internal_mail.views import bp
from app.staff.signals import staff_deleting


def init_app(app) -> None:
    app.register_blueprint(bp)
    staff_deleting.connect(references_to_staff, sender=app)
    # Right after the tickets: colleagues' messages are part of the daily work.
    navigation.add_entry(app, "internal_mail.index", _l("Messages"), order=15,
                         badge=unread_badge)
