"""What the staff area plugs into the app: pages, invitations, API endpoints, nav entry, and
billing's staff limit with the facts billing asks for."""
from flask_babel import lazy_gettext as _l

from app import navigation
from app.staff import api as _api  # noqa: F401  (registers the API endpoints)
from app.staff.headcount import admin_addresses, count_active
from app.staff.invite_views import bp as invite_bp
from app.staff.signals import staff_adding
from app.staff.views import bp
from billing.limits import check_staff_limit
from billing.signals import recipients_listing, staff_counting


def init_app(app) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(invite_bp)
    # Billing sits below the areas: the plan's staff limit is billing's gate, asked here;
    # billing counts the staff and writes to the admins through what it asks of us.
    staff_adding.connect(check_staff_limit, sender=app)
    staff_counting.connect(count_active, sender=app)
    recipients_listing.connect(admin_addresses, sender=app)
    # Agents set nothing up: this page is for those who run the desk.
    navigation.add_entry(app, "staff.index", _l("Staff"), ("admin", "manager"))
