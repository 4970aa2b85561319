"""SLA settings through the API, and due times on tickets created and changed through the
ticket service, with time frozen."""
from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select

from app.extensions import db
from app.sla.jobs import sweep_sla_breaches
from app.tickets.display import near_breach
from app.tickets.models import Ticket
from tests.crosstenant.rules import as_tenant_of

WEEK = {str(d): [["09:00", "18:00"]] if d < 5 else [] for d in range(7)}


def msk(day, hour, minute=0) -> datetime:
    """A moment in November/December 2026 given in Moscow time (UTC+3)."""
    month, day = (11, day) if day <= 30 else (12, day - 30)
    return datetime(2026, month, day, hour, minute, tzinfo=UTC) - timedelta(hours=3)


def _setup(api, **targets):
    assert api.call("PUT", "/sla/calendar", {"timezone": "Europe/Moscow", "hours": WEEK}
                    ).status_code == 200
    policies = [{"priority": p, "first_response_minutes": a, "resolution_minutes": b}
                for p, (a, b) in (targets or {"normal": (60, 480), "high": (30, 240)}).items()]
    response = api.call("PUT", "/sla/policies", {"policies": policies})
    assert response.status_code == 200, response.get_json()


def _ticket(api, subject="Help"):
    response = api.post("/tickets", {"subject": subject, "body": "Please",
                                     "requester": {"email": "ann@c.example", "name": "Ann"}})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def _due(api, number):
    return api.get(f"/tickets/{number}").get_json()["sla"]


def test_settings_round_trip_and_events(tenant_a):
    defaults = tenant_a.get("/sla/calendar").get_json()
    assert defaults["hours"]["0"] == [["09:00", "18:00"]] and defaults["hours"]["6"] == []
    _setup(tenant_a)
    assert tenant_a.get("/sla/calendar").get_json() == {"timezone": "Europe/Moscow",
                                                        "hours": WEEK}
    items = tenant_a.get("/sla/policies").get_json()["items"]
    assert [i["priority"] for i in items] == ["normal", "high"]
    holiday = tenant_a.post("/sla/holidays", {"day": "2026-12-31", "name": "New Year's Eve"})
    assert holiday.status_code == 201
    assert tenant_a.post("/sla/holidays", {"day": "2026-12-31"}).status_code == 409
    assert [h["day"] for h in tenant_a.get("/sla/holidays").get_json()["items"]] == \
        ["2026-12-31"]
    assert tenant_a.delete(f"/sla/holidays/{holiday.get_json()['id']}").status_code == 204
    actions = {e["action"] for e in tenant_a.get("/events?action=sla.").get_json()["items"]}
    assert actions == {"sla.calendar_changed", "sla.policies_changed", "sla.holiday_added",
                       "sla.holiday_removed"}


def test_bad_settings_are_422(tenant_a):
    cases = [
        ("PUT", "/sla/calendar", {"timezone": "Mars/Olympus", "hours": WEEK}, "timezone"),
        ("PUT", "/sla/calendar", {"timezone": "UTC", "hours": {"0": [["18:00", "09:00"]]}},
         "hours.0"),
        ("PUT", "/sla/calendar", {"timezone": "UTC", "hours": {"0": [["9am", "5pm"]]}},
         "hours.0"),
        ("PUT", "/sla/calendar", {"timezone": "UTC", "hours": {"7": [["09:00", "18:00"]]}},
         "hours"),
        ("PUT", "/sla/calendar", {"timezone": "UTC", "hours": {}}, "hours"),
        ("PUT", "/sla/calendar", {"timezone": "UTC",
                                  "hours": {"0": [["09:00", "13:00"], ["12:00", "18:00"]]}},
         "hours.0"),
        ("PUT", "/sla/policies", {"policies": [{"priority": "asap", "first_response_minutes": 1,
                                                "resolution_minutes": 2}]},
         "policies.0.priority"),
        ("PUT", "/sla/policies", {"policies": [{"priority": "low", "first_response_minutes": 0,
                                                "resolution_minutes": 2}]},
         "policies.0.first_response_minutes"),
        ("PUT", "/sla/policies", {"policies": [{"priority": "low", "first_response_minutes": 60,
                                                "resolution_minutes": 30}]},
         "policies.0.resolution_minutes"),
        ("PUT", "/sla/policies", {"policies": [
            {"priority": "low", "first_response_minutes": 1, "resolution_minutes": 2},
            {"priority": "low", "first_response_minutes": 1, "resolution_minutes": 2}]},
         "policies.1.priority"),
        ("PUT", "/sla/policies", {"policies": [{"priority": "low"}]},
         "policies.0.first_response_minutes"),
        ("POST", "/sla/holidays", {"day": "31.12.2026"}, "day"),
        ("GET", "/sla/preview?priority=asap", None, "priority"),
    ]
    for method, path, body, field in cases:
        response = tenant_a.call(method, path, body)
        assert response.status_code == 422, (path, body, response.get_json())
        assert field in response.get_json()["error"]["fields"], (body, response.get_json())


def test_only_admins_change_settings(client, tenant_a):
    from tests.test_responses_api import _agent

    agent = _agent(client, tenant_a)
    assert agent.get("/sla/policies").status_code == 200
    assert agent.call("PUT", "/sla/policies", {"policies": []}).status_code == 403


def test_preview(tenant_a):
    _setup(tenant_a)
    body = tenant_a.get("/sla/preview?priority=high&start=2026-11-27T14:30:00Z").get_json()
    # Friday 17:30 Moscow + 30 business minutes → Friday 18:00; + 4 h → Monday 12:30.
    assert body["first_response_due_at"] == _iso(msk(27, 18))
    assert body["resolution_due_at"] == _iso(msk(30, 12, 30))
    assert tenant_a.get("/sla/preview?priority=low").get_json() == {
        "first_response_due_at": None, "resolution_due_at": None}


def test_ticket_due_times_pause_and_breach(tenant_a):
    _setup(tenant_a)
    with time_machine.travel(msk(27, 17, 30), tick=False):  # Friday 17:30 Moscow
        number = _ticket(tenant_a)["number"]
    sla = _due(tenant_a, number)
    assert sla["first_response_due_at"] == _iso(msk(30, 9, 30))
    assert sla["resolution_due_at"] == _iso(msk(30, 16, 30))
    assert sla["breached"] is False

    with time_machine.travel(msk(30, 9, 15), tick=False):  # answered in time, waits on Ann
        reply = tenant_a.post(f"/tickets/{number}/messages", {"body": "Which browser?",
                                                              "internal": False})
        assert reply.status_code == 201, reply.get_json()
        assert tenant_a.patch(f"/tickets/{number}", {"status": "pending"}).status_code == 200
    with time_machine.travel(msk(31, 10), tick=False):  # Tuesday 10:00: Ann answered
        assert tenant_a.patch(f"/tickets/{number}", {"status": "open"}).status_code == 200
    sla = _due(tenant_a, number)
    # Paused Monday 09:15–18:00 and Tuesday 09:00–10:00: 9 h 45 min of business time.
    assert sla["resolution_due_at"] == _iso(msk(31, 17, 15))
    assert sla["breached"] is False

    with time_machine.travel(msk(31, 17, 16), tick=False):
        assert tenant_a.patch(f"/tickets/{number}", {"priority": "high"}).status_code == 200
    sla = _due(tenant_a, number)
    assert sla["breached"] is True
    events = tenant_a.get("/events?action=ticket.sla_breached").get_json()["items"]
    assert len(events) == 1


def test_the_sweep_marks_breaches_once(app, tenant_a, tenant_b):
    _setup(tenant_a)
    _setup(tenant_b, normal=(600, 6000))
    with time_machine.travel(msk(23, 10), tick=False):
        late = _ticket(tenant_a)["number"]
        fine = _ticket(tenant_b)["number"]
    with time_machine.travel(msk(23, 11, 1), tick=False), app.app_context():
        assert sweep_sla_breaches() == 1
        assert sweep_sla_breaches() == 0
    assert _due(tenant_a, late)["breached"] is True
    assert _due(tenant_b, fine)["breached"] is False
    actions = [e["action"] for e in tenant_a.get("/events?action=ticket.sla_breached")
               .get_json()["items"]]
    assert actions == ["ticket.sla_breached"]


def test_near_breach_filter(app, tenant_a):
    _setup(tenant_a, normal=(60, 480), low=(600, 6000))
    with time_machine.travel(msk(23, 10), tick=False):
        soon = _ticket(tenant_a, "soon")["number"]
        relaxed = _ticket(tenant_a, "relaxed")["number"]
        assert tenant_a.patch(f"/tickets/{relaxed}", {"priority": "low"}).status_code == 200
        paused = _ticket(tenant_a, "paused")["number"]
        tenant_a.post(f"/tickets/{paused}/messages", {"body": "?", "internal": False})
        tenant_a.patch(f"/tickets/{paused}", {"status": "pending"})
    with as_tenant_of(app, tenant_a):
        def numbers(now, within):
            stmt = near_breach(select(Ticket.number), within, now=now)
            return sorted(db.session.scalars(stmt))

        assert numbers(msk(23, 10, 30), timedelta(minutes=15)) == []
        assert numbers(msk(23, 10, 50), timedelta(minutes=15)) == [soon]
        # The paused one was answered, and its resolution clock is stopped.
        assert numbers(msk(24, 10), timedelta(minutes=15)) == [soon]
        # The low-priority one is due its first response on Tuesday 11:00.
        assert numbers(msk(24, 10, 50), timedelta(minutes=15)) == [soon, relaxed]


def test_changing_targets_recomputes_open_tickets_in_a_job(app, tenant_a):
    from app.jobs import queue
    from app.sla.jobs import recompute_tenant

    with time_machine.travel(msk(23, 10), tick=False):
        number = _ticket(tenant_a)["number"]
    assert _due(tenant_a, number)["first_response_due_at"] is None  # no targets yet
    _setup(tenant_a)
    with app.app_context():
        jobs = queue().jobs
        assert jobs and jobs[-1].func_name == "app.sla.jobs.recompute_tenant"
        tenant_id = jobs[-1].args[0]
        with time_machine.travel(msk(23, 10, 5), tick=False):
            assert recompute_tenant(tenant_id) == 1
    assert _due(tenant_a, number)["first_response_due_at"] == _iso(msk(23, 11))
