"""Page: the event log with filters, each event as a sentence (who may read it is the
service's rule)."""
from datetime import datetime, timedelta

from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from app.event_log.describe import describe_all
from app.event_log.service import events_query
from app.events.models import Event
from app.extensions import db
from app.staff.models import Staff
from app.ui import staff_page

bp = Blueprint("events", __name__, url_prefix="/app/events")
PAGE = 50
# The "What" filter: areas of the help desk, as action prefixes (events_query matches them).
AREAS = [("ticket.", _l("Tickets")), ("staff.", _l("Staff")), ("login.", _l("Sign-ins")),
         ("session.", _l("Sessions")), ("password.", _l("Password resets")),
         ("token.", _l("API tokens")), ("department.", _l("Departments")),
         ("customer.", _l("Customers")), ("organization.", _l("Organizations")),
         ("attachment.", _l("Files")), ("settings.", _l("Help desk settings")),
         ("custom_field.", _l("Custom fields")), ("routing_rule.", _l("Routing rules")),
         ("response_template.", _l("Response templates")), ("sla.", _l("SLA")),
         ("tenant.", _l("Company settings")), ("billing.", _l("Billing")),
         ("mail.", _l("Mail")), ("portal.", _l("Customer portal")),
         ("widget.", _l("Widget")), ("stop_list.", _l("Stop lists")),
         ("kb.", _l("Knowledge base"))]


def _date(name: str):
    try:
        return datetime.fromisoformat(request.args[name]) if request.args.get(name) else None
    except ValueError:
        return None


@bp.get("/")
@staff_page()
def index():
    actor_id = request.args.get("actor_id", type=int)
    until = _date("until")
    stmt = events_query(actor=current_user, actor_id=actor_id,
                        action=request.args.get("action") or None,
                        object_type=request.args.get("object_type") or None,
                        since=_date("since"), until=until + timedelta(days=1) if until else None)
    before = request.args.get("before", type=int)
    if before:
        stmt = stmt.where(Event.id < before)
    events = db.session.scalars(stmt.order_by(Event.id.desc()).limit(PAGE + 1)).all()
    more = len(events) > PAGE
    events = events[:PAGE]
    return render_template("events/index.html", events=events, more=more, areas=AREAS,
                           sentences=describe_all(events), staff=db.session.scalars(
                               select(Staff).order_by(Staff.name)).all(),
                           args=request.args)
