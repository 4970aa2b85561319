"""Helpers for the report tests: a company with the reports add-on, tickets whose moments are
set by hand, and rollups rebuilt on demand."""
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import update

from app.extensions import db
from app.reports import rollup
from app.tickets.models import Ticket
from tenants.context import tenant_scope
from tenants.resolve import tenant_id_by_slug

WEEKDAYS = {str(d): [["09:00", "18:00"]] for d in range(5)} | {"5": [], "6": []}


def reports_company(app, signup, *, timezone: str = "UTC", **over):
    """A company on Pro (reports included) in ``timezone``, its SLA calendar in the same
    zone, Monday to Friday 09:00–18:00. Returns (api, tenant id, slug)."""
    api, body = signup(**over)
    assert api.post("/billing/plan", {"plan": "pro"}).status_code == 200
    assert api.patch("/tenant", {"timezone": timezone}).status_code == 200
    assert api.call("PUT", "/sla/calendar", {"timezone": timezone, "hours": WEEKDAYS}
                    ).status_code == 200
    tenant_id = tenant_id_of(app, api)
    return api, tenant_id, body["tenant"]["slug"]


def tenant_id_of(app, api) -> int:
    slug = api.get("/tenant").get_json()["slug"]
    with app.app_context():
        return tenant_id_by_slug(slug)


def local(zone: str, *args) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone))


def ticket(app, api, subject: str = "Help", **moments) -> int:
    """A ticket through the API, then its moments and fields set by hand (``created_at``,
    ``first_response_at``, ``resolved_at``, ``status``, ``sla_breached`` …). Returns its id."""
    response = api.post("/tickets", {"subject": subject, "body": "Text",
                                     "requester": {"email": "client@example.com"}})
    assert response.status_code == 201, response.get_json()
    number = response.get_json()["number"]
    tenant_id = tenant_id_of(app, api)
    with app.app_context(), tenant_scope(tenant_id):
        ticket_id = db.session.scalar(db.select(Ticket.id).where(Ticket.number == number))
        if moments:
            db.session.execute(update(Ticket).where(Ticket.id == ticket_id).values(**moments))
        db.session.commit()
    return ticket_id


def rebuild(app, tenant_id: int) -> None:
    with app.app_context(), tenant_scope(tenant_id):
        rollup.rebuild()
        db.session.commit()
