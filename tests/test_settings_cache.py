"""The per-tenant settings cache: a change is seen by the very next request, one tenant never
sees another's values, and a rolled-back change bumps nothing.

Every test first creates a ticket, so the values it then changes are already in the process's
cache: a change the cache missed would show as the old value on the next request."""
from datetime import UTC, datetime

import time_machine

from app import settings_cache
from tenants.context import tenant_scope
from tests.test_tickets_support import new_ticket

WEEK = {str(d): [["09:00", "18:00"]] if d < 5 else [] for d in range(7)}
MONDAY_10 = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)


def _versions(app) -> dict:
    redis = app.extensions["redis"]
    return {key.decode(): int(redis.get(key)) for key in redis.keys("settings-version:*")}


def _policies(api, first: int, resolution: int) -> None:
    response = api.call("PUT", "/sla/policies", {"policies": [
        {"priority": "normal", "first_response_minutes": first,
         "resolution_minutes": resolution}]})
    assert response.status_code == 200, response.get_json()


def _first_due(api) -> str:
    with time_machine.travel(MONDAY_10, tick=False):
        number = new_ticket(api)["number"]
    return api.get(f"/tickets/{number}").get_json()["sla"]["first_response_due_at"]


def test_a_new_routing_rule_routes_the_next_ticket(tenant_a):
    assert new_ticket(tenant_a)["priority"] == "normal"
    rule = tenant_a.post("/routing/rules", {"name": "All urgent", "conditions": {},
                                            "actions": {"priority": "high", "tags": ["vip"]}})
    assert rule.status_code == 201, rule.get_json()
    routed = new_ticket(tenant_a)
    assert routed["priority"] == "high" and routed["tags"] == ["vip"]
    rule_id = rule.get_json()["id"]
    assert tenant_a.patch(f"/routing/rules/{rule_id}", {"enabled": False}).status_code == 200
    assert new_ticket(tenant_a)["priority"] == "normal"
    assert tenant_a.patch(f"/routing/rules/{rule_id}", {"enabled": True}).status_code == 200
    assert new_ticket(tenant_a)["priority"] == "high"
    assert tenant_a.delete(f"/routing/rules/{rule_id}").status_code == 204
    assert new_ticket(tenant_a)["priority"] == "normal"


def test_changed_sla_settings_set_the_next_tickets_due_time(tenant_a):
    calendar = tenant_a.call("PUT", "/sla/calendar", {"timezone": "UTC", "hours": WEEK})
    assert calendar.status_code == 200
    _policies(tenant_a, 60, 480)
    assert _first_due(tenant_a) == "2026-11-30T11:00:00+00:00"
    _policies(tenant_a, 120, 480)
    assert _first_due(tenant_a) == "2026-11-30T12:00:00+00:00"
    holiday = tenant_a.post("/sla/holidays", {"day": "2026-11-30", "name": "Closed"})
    assert holiday.status_code == 201
    assert _first_due(tenant_a) == "2026-12-01T11:00:00+00:00"  # from Tuesday's opening
    assert tenant_a.delete(f"/sla/holidays/{holiday.get_json()['id']}").status_code == 204
    assert _first_due(tenant_a) == "2026-11-30T12:00:00+00:00"


def test_a_new_required_field_is_enforced_on_the_next_ticket(tenant_a):
    new_ticket(tenant_a)
    field = tenant_a.post("/custom-fields", {"key": "contract", "label": "Contract",
                                             "kind": "text", "required": True})
    assert field.status_code == 201, field.get_json()
    refused = tenant_a.post("/tickets", {"subject": "s", "body": "b",
                                         "requester": {"email": "x@client.example"}})
    assert refused.status_code == 422
    assert "custom_fields.contract" in refused.get_json()["error"]["fields"]
    assert new_ticket(tenant_a, custom_fields={"contract": "C-1"})["number"]
    field_id = field.get_json()["id"]
    assert tenant_a.patch(f"/custom-fields/{field_id}", {"required": False}).status_code == 200
    assert new_ticket(tenant_a)["number"]


def test_a_changed_desk_setting_is_seen_by_the_next_request(tenant_a):
    assert tenant_a.get("/settings/attachments").get_json()["max_files"] == 10
    assert tenant_a.patch("/settings/attachments", {"max_files": 3}).status_code == 200
    assert tenant_a.get("/settings/attachments").get_json()["max_files"] == 3


def test_two_tenants_never_see_each_others_values(app, tenant_a, tenant_b):
    for api in (tenant_a, tenant_b):
        assert new_ticket(api)["priority"] == "normal"
        assert api.get("/settings/attachments").get_json()["max_files"] == 10
    tenant_a.post("/routing/rules", {"name": "All urgent", "actions": {"priority": "high"}})
    tenant_a.post("/custom-fields", {"key": "contract", "label": "Contract", "kind": "text",
                                     "required": True})
    tenant_a.patch("/settings/attachments", {"max_files": 3})
    assert new_ticket(tenant_a, custom_fields={"contract": "C-1"})["priority"] == "high"
    assert new_ticket(tenant_b)["priority"] == "normal"  # no rule, no required field
    assert tenant_b.get("/settings/attachments").get_json()["max_files"] == 10
    assert tenant_a.get("/settings/attachments").get_json()["max_files"] == 3
    assert list(_versions(app).values()) == [3]  # only tenant A's, once per change


def test_a_rolled_back_change_bumps_nothing(app, tenant_a, refused_commit):
    new_ticket(tenant_a)
    with refused_commit():
        tenant_a.post("/routing/rules", {"name": "All urgent", "actions": {"priority": "high"}})
    assert _versions(app) == {}
    assert new_ticket(tenant_a)["priority"] == "normal"
    assert tenant_a.get("/routing/rules").get_json()["items"] == []


def test_outside_a_request_every_call_reads_the_version(app, app_ctx):
    loads = []

    def load():
        loads.append(1)
        return len(loads)

    with tenant_scope(987_654_321):  # no rows are read: the loader is the test's own
        assert settings_cache.cached("probe", load) == 1
        assert settings_cache.cached("probe", load) == 1  # cached
        app.extensions["redis"].incr(settings_cache.version_key(987_654_321))  # another worker
        assert settings_cache.cached("probe", load) == 2
