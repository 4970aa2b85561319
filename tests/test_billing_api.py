"""Billing through the API: the catalog, plan changes, add-ons, limits and usage."""
from datetime import timedelta

import pytest

from app.db_types import utcnow
from app.errors import PlanLimit
from app.extensions import db
from billing.catalog import require_addon
from billing.charging import charge_day
from billing.ledger import check_invariant
from tenants import context
from tenants.models import Tenant
from tests.conftest import STRONG_PASSWORD


def _tenant(slug: str) -> Tenant:
    with context.platform_connection(), context.platform_scope():
        return db.session.query(Tenant).filter_by(slug=slug).one()


def test_billing_shows_defaults_from_the_catalog(signup):
    api, _body = signup()
    body = api.get("/billing").get_json()
    assert body["plan"] == "standard" and body["balance"] == "200.00"
    assert body["currency"] == "RUB" and body["suspended"] is False
    assert body["daily_cost"] == "5.00" and body["days_left"] == 40
    plans = {p["name"]: p for p in body["plans"]}
    assert plans["standard"] == {"name": "standard", "title": "Standard", "daily_price": "5.00",
                                 "staff": 2, "tickets_per_day": 10, "all_addons": False}
    assert plans["pro"]["daily_price"] == "10.00" and plans["pro"]["staff"] == 20
    assert plans["pro"]["tickets_per_day"] == 500 and plans["pro"]["all_addons"] is True
    assert {a["name"] for a in body["addons"]} == {"gmail", "reports", "internal_mail"}
    assert not any(a["active"] for a in body["addons"])
    assert [e["kind"] for e in body["ledger"]] == ["trial_credit"]
    assert body["ledger"][0]["amount"] == "200.00"


def test_tenant_endpoint_shows_limits_usage_and_addons(signup):
    api, _ = signup()
    body = api.get("/tenant").get_json()
    assert body["limits"] == {"staff": 2, "tickets_per_day": 10}
    assert body["usage"] == {"staff": 1, "tickets_today": 0, "tickets_deferred": 0}
    assert body["addons"] == []
    assert api.post("/billing/addons", {"addon": "reports"}).status_code == 201
    assert api.get("/tenant").get_json()["addons"] == ["reports"]


def test_upgrade_charges_the_difference_at_once_and_lifts_limits(signup):
    api, body = signup()
    response = api.post("/billing/plan", {"plan": "pro"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "changed"
    assert response.get_json()["charged"] == "5.00"
    billing = api.get("/billing").get_json()
    assert billing["plan"] == "pro" and billing["balance"] == "195.00"
    assert billing["ledger"][0]["kind"] == "plan_change"
    assert billing["ledger"][0]["amount"] == "-5.00"
    assert api.get("/tenant").get_json()["limits"] == {"staff": 20, "tickets_per_day": 500}
    assert sorted(api.get("/tenant").get_json()["addons"]) == ["gmail", "internal_mail",
                                                                "reports"]
    events = api.get("/events?action=billing.plan_changed").get_json()["items"]
    assert events[0]["data"]["limits_after"]["staff"] == 20
    assert events[0]["data"]["limits_before"]["tickets_per_day"] == 10


def test_downgrade_waits_for_the_next_day(app, signup):
    api, body = signup()
    api.post("/billing/plan", {"plan": "pro"})
    response = api.post("/billing/plan", {"plan": "standard"})
    assert response.get_json()["status"] == "scheduled"
    billing = api.get("/billing").get_json()
    assert billing["plan"] == "pro" and billing["pending_plan"]["plan"] == "standard"
    assert billing["balance"] == "195.00"  # nothing refunded, nothing charged
    tomorrow = utcnow().date() + timedelta(days=1)
    with app.app_context():
        charge_day(tomorrow)
        db.session.commit()
    billing = api.get("/billing").get_json()
    assert billing["plan"] == "standard" and billing["pending_plan"] is None
    assert billing["ledger"][0]["kind"] == "daily_charge"
    assert billing["ledger"][0]["amount"] == "-5.00"
    assert billing["ledger"][0]["details"]["plan"] == "standard"


def test_cancelling_a_downgrade_and_upgrading_twice_never_double_charges(signup):
    api, _ = signup()
    api.post("/billing/plan", {"plan": "pro"})
    api.post("/billing/plan", {"plan": "standard"})
    kept = api.post("/billing/plan", {"plan": "pro"})
    assert kept.get_json()["status"] == "kept"
    assert api.get("/billing").get_json()["balance"] == "195.00"
    again = api.post("/billing/plan", {"plan": "pro"})
    assert again.status_code == 409


@pytest.mark.parametrize("plan", ["gold", "", "PRO; DROP TABLE plans"])
def test_unknown_plan_is_422(signup, plan):
    api, _ = signup()
    response = api.post("/billing/plan", {"plan": plan})
    assert response.status_code == 422
    assert "plan" in response.get_json()["error"]["fields"]


def test_plan_change_is_for_admins(signup, client):
    api, body = signup()
    slug = body["tenant"]["slug"]
    api.post("/staff", {"name": "Agent", "email": f"agent@{slug}.example",
                        "password": STRONG_PASSWORD})
    token = client.post("/api/v1/tokens", json={"tenant": slug, "email": f"agent@{slug}.example",
                                                "password": STRONG_PASSWORD}).get_json()["token"]
    from tests.conftest import Api

    agent = Api(client, token)
    assert agent.post("/billing/plan", {"plan": "pro"}).status_code == 403
    assert agent.post("/billing/topups", {"amount": "500"}).status_code == 403


def test_addon_buy_charges_once_a_day_and_drop_stops_it(app, signup):
    api, _ = signup()
    bought = api.post("/billing/addons", {"addon": "gmail"})
    assert bought.status_code == 201 and bought.get_json()["active"] is True
    assert api.get("/billing").get_json()["balance"] == "198.00"
    assert api.post("/billing/addons", {"addon": "gmail"}).status_code == 409
    assert api.delete("/billing/addons/gmail").status_code == 204
    assert api.delete("/billing/addons/gmail").status_code == 404
    assert api.post("/billing/addons", {"addon": "gmail"}).status_code == 201
    assert api.get("/billing").get_json()["balance"] == "198.00"  # same day: paid already
    assert api.post("/billing/addons", {"addon": "nope"}).status_code == 422
    assert api.get("/billing").get_json()["daily_cost"] == "7.00"
    with app.app_context():
        charge_day(utcnow().date() + timedelta(days=1))
        db.session.commit()
    entry = api.get("/billing").get_json()["ledger"][0]
    assert entry["amount"] == "-7.00"
    assert entry["details"]["addons"] == [{"addon": "gmail", "price": 200}]
    actions = {e["action"] for e in api.get("/events?action=billing.").get_json()["items"]}
    assert {"billing.addon_bought", "billing.addon_dropped"} <= actions


def test_addons_are_included_on_pro(signup):
    api, _ = signup()
    api.post("/billing/plan", {"plan": "pro"})
    assert api.post("/billing/addons", {"addon": "gmail"}).status_code == 409


def test_require_addon_gates_features(app, signup):
    api, body = signup()
    with app.app_context():
        tenant = _tenant(body["tenant"]["slug"])
        with context.tenant_scope(tenant.id):
            with pytest.raises(PlanLimit) as refused:
                require_addon(tenant, "reports")
            assert "Pro" in str(refused.value.message)
    api.post("/billing/addons", {"addon": "reports"})
    with app.app_context():
        tenant = _tenant(body["tenant"]["slug"])
        with context.tenant_scope(tenant.id):
            require_addon(tenant, "reports")  # no error now


def test_staff_limit_names_the_limit_and_the_plan_that_lifts_it(signup):
    api, body = signup()
    slug = body["tenant"]["slug"]
    first = api.post("/staff", {"name": "Bo", "email": f"bo@{slug}.example",
                                "password": STRONG_PASSWORD})
    assert first.status_code == 201
    over = api.post("/staff", {"name": "Cy", "email": f"cy@{slug}.example",
                               "password": STRONG_PASSWORD})
    assert over.status_code == 402
    error = over.get_json()["error"]
    assert error["code"] == "plan_limit"
    assert "2" in error["message"] and "Standard" in error["message"]
    assert "Pro" in error["message"] and "20" in error["message"]
    api.post("/billing/plan", {"plan": "pro"})
    assert api.post("/staff", {"name": "Cy", "email": f"cy@{slug}.example",
                               "password": STRONG_PASSWORD}).status_code == 201


def test_ledger_sum_equals_balance_after_every_kind_of_movement(app, signup):
    api, body = signup()
    api.post("/billing/addons", {"addon": "gmail"})
    api.post("/billing/plan", {"plan": "pro"})
    with app.app_context():
        charge_day(utcnow().date() + timedelta(days=1))
        with context.platform_connection(), context.platform_scope():
            tenant_id = _tenant(body["tenant"]["slug"]).id
            assert check_invariant([tenant_id]) == []
            db.session.execute(db.text("UPDATE tenants SET balance = balance + 1 WHERE id = :t"),
                               {"t": tenant_id})
            assert check_invariant([tenant_id])[0][0] == tenant_id


def test_upgrade_needs_the_balance_for_the_difference(app, signup):
    api, body = signup()
    with app.app_context():
        tenant_id = _tenant(body["tenant"]["slug"]).id
        with context.tenant_scope(tenant_id):
            from billing.ledger import adjust_balance

            adjust_balance(actor="operator", tenant_id=tenant_id, amount=-19_800, reason="test")
            db.session.commit()
    refused = api.post("/billing/plan", {"plan": "pro"})
    assert refused.status_code == 402
    assert refused.get_json()["error"]["code"] == "insufficient_balance"
    assert api.get("/billing").get_json()["plan"] == "standard"


def test_addon_page_gate_sends_people_to_the_explanation(app, signup):
    from billing.gates import addon_page

    api, body = signup()
    slug = body["tenant"]["slug"]
    gated = addon_page("reports")(lambda: "the report")
    with app.test_request_context():
        with context.tenant_scope(_tenant(slug).id):
            response = gated()
            assert not isinstance(response, str)
            assert response.location.endswith("/app/billing/locked?feature=reports")
    api.post("/billing/addons", {"addon": "reports"})
    with app.test_request_context():
        with context.tenant_scope(_tenant(slug).id):
            assert gated() == "the report"
