"""The operator's tools: the ``billing`` CLI group and the /operator/ console; billing pages."""
from datetime import timedelta

import pytest
from sqlalchemy import text, update

from app.db_types import utcnow
from app.extensions import db
from billing.cli import billing_cli
from tenants.context import platform_connection, platform_scope
from tenants.models import Tenant
from tests.conftest import STRONG_PASSWORD

TOKEN = "operator-secret-token"


def run(app, *args):
    return app.test_cli_runner().invoke(billing_cli, list(args))


def test_cli_lists_and_changes_the_catalog(app):
    listed = run(app, "plans", "list")
    assert listed.exit_code == 0
    assert "standard" in listed.output and "5.00/day" in listed.output
    assert "pro" in listed.output and "10.00/day" in listed.output
    changed = run(app, "plans", "set", "standard", "--price", "6.50", "--staff", "3")
    assert changed.exit_code == 0, changed.output
    assert "6.50/day" in run(app, "plans", "list").output
    created = run(app, "plans", "set", "team", "--price", "7", "--staff", "5", "--tickets",
                  "50", "--no-all-addons")
    assert created.exit_code == 0 and "team" in run(app, "plans", "list").output
    incomplete = run(app, "plans", "set", "solo", "--price", "1")
    assert incomplete.exit_code != 0 and "needs a price" in incomplete.output
    assert run(app, "plans", "set", "x", "--price", "abc").exit_code != 0
    assert run(app, "addons", "set", "reports", "--price", "1.50").exit_code == 0
    assert "1.50/day" in run(app, "addons", "list").output


def test_cli_adjusts_balances_with_a_reason_and_checks_the_invariant(app, signup):
    api, body = signup()
    slug = body["tenant"]["slug"]
    assert run(app, "tenants", "list").output.count(slug) == 1
    adjusted = run(app, "adjust", slug, "50.00", "--reason", "goodwill")
    assert adjusted.exit_code == 0, adjusted.output
    assert "250.00" in adjusted.output
    assert api.get("/billing").get_json()["ledger"][0]["reference"] == "goodwill"
    assert run(app, "adjust", slug, "50.00").exit_code == 2  # --reason is required
    assert run(app, "adjust", slug, "0", "--reason", "nothing").exit_code != 0
    assert run(app, "adjust", "no-such-tenant", "5", "--reason", "x").exit_code != 0
    assert run(app, "check-invariant").exit_code == 0
    with app.app_context():
        db.session.execute(text("SELECT set_config('app.platform', 'on', true)"))
        db.session.execute(text("UPDATE tenants SET balance = balance + 7 WHERE slug = :s"),
                           {"s": slug})
        db.session.commit()
    broken = run(app, "check-invariant")
    assert broken.exit_code == 1 and "!=" in broken.output


def test_cli_charge_day_is_idempotent(app, signup):
    api, _ = signup()
    day = (utcnow().date() + timedelta(days=1)).isoformat()
    first = run(app, "charge-day", "--date", day)
    assert first.exit_code == 0 and "charged" in first.output
    again = run(app, "charge-day", "--date", day)
    assert again.exit_code == 0 and "charged 0" in again.output
    assert api.get("/billing").get_json()["balance"] == "195.00"
    assert run(app, "charge-day", "--date", "yesterday").exit_code == 2


@pytest.fixture
def operator(app, client):
    saved = app.config.get("OPERATOR_TOKEN")
    app.config["OPERATOR_TOKEN"] = TOKEN
    yield client
    app.config["OPERATOR_TOKEN"] = saved


def test_console_is_hidden_without_a_token(app, client):
    saved = app.config.get("OPERATOR_TOKEN")
    app.config["OPERATOR_TOKEN"] = ""
    try:
        assert client.get("/operator/").status_code == 404
        assert client.post("/operator/login", data={"token": ""}).status_code == 404
    finally:
        app.config["OPERATOR_TOKEN"] = saved


def test_console_needs_the_token(operator):
    assert operator.get("/operator/").status_code == 302
    assert operator.post("/operator/login", data={"token": "guess"}).status_code == 401
    assert operator.post("/operator/plans", data={"name": "standard"}).status_code == 302
    assert operator.get("/operator/").status_code == 302


def test_console_edits_plans_and_adjusts_balances(operator, signup):
    api, body = signup()
    slug = body["tenant"]["slug"]
    assert operator.post("/operator/login", data={"token": TOKEN}).status_code == 302
    page = operator.get(f"/operator/?q={slug}")
    assert page.status_code == 200 and slug in page.get_data(as_text=True)
    operator.post("/operator/plans", data={"name": "standard", "daily_price": "4.00",
                                           "max_staff": "2", "tickets_per_day": "15"})
    plans = {p["name"]: p for p in api.get("/billing").get_json()["plans"]}
    assert plans["standard"]["daily_price"] == "4.00"
    assert plans["standard"]["tickets_per_day"] == 15
    bad = operator.post("/operator/plans", data={"name": "standard", "max_staff": "many"},
                        follow_redirects=True)
    assert "whole number" in bad.get_data(as_text=True)
    operator.post("/operator/addons", data={"name": "gmail", "daily_price": "3.00"})
    addons = {a["name"]: a for a in api.get("/billing").get_json()["addons"]}
    assert addons["gmail"]["daily_price"] == "3.00"
    refused = operator.post("/operator/adjust", data={"slug": slug, "amount": "10",
                                                      "reason": ""}, follow_redirects=True)
    assert "reason" in refused.get_data(as_text=True)
    assert api.get("/billing").get_json()["balance"] == "200.00"
    operator.post("/operator/adjust", data={"slug": slug, "amount": "-20.50",
                                            "reason": "refund of a double payment"})
    billing = api.get("/billing").get_json()
    assert billing["balance"] == "179.50"
    assert billing["ledger"][0]["kind"] == "adjustment"
    events = api.get("/events?action=billing.adjusted").get_json()["items"]
    assert events[0]["data"]["reason"] == "refund of a double payment"
    checked = operator.get("/operator/?check=1").get_data(as_text=True)
    assert "Every balance equals" in checked


def _login(client, slug, email):
    response = client.post(f"/t/{slug}/login", data={"email": email,
                                                     "password": STRONG_PASSWORD})
    assert response.status_code == 302


def test_billing_pages_for_admins_and_the_gated_feature_page(client, signup):
    api, body = signup()
    slug = body["tenant"]["slug"]
    api.post("/staff", {"name": "Agent", "email": f"agent@{slug}.example",
                        "password": STRONG_PASSWORD})
    _login(client, slug, f"admin@{slug}.example")
    page = client.get("/app/billing/").get_data(as_text=True)
    assert "Payment history" in page and "Trial credit" in page and "Upgrade now" in page
    assert 'href="/app/billing/"' in client.get("/app/").get_data(as_text=True)
    client.post("/app/billing/addons", data={"addon": "internal_mail"})
    assert "internal_mail" in api.get("/tenant").get_json()["addons"]
    client.post("/app/billing/addons/internal_mail/drop")
    assert api.get("/tenant").get_json()["addons"] == []
    client.post("/app/billing/plan", data={"plan": "pro"})
    assert api.get("/billing").get_json()["plan"] == "pro"
    locked = client.get("/app/billing/locked?feature=reports")
    assert locked.status_code == 402
    assert "Pro" in locked.get_data(as_text=True)
    client.post("/logout")
    _login(client, slug, f"agent@{slug}.example")
    assert client.get("/app/billing/").status_code == 403
    assert client.get("/app/billing/locked?feature=gmail").status_code == 402
    assert 'href="/app/billing/"' not in client.get("/app/").get_data(as_text=True)


def test_console_token_guessing_is_rate_limited(app, operator):
    limit = int(app.config["LOGIN_RATE_LIMIT"].split()[0])
    codes = [operator.post("/operator/login", data={"token": f"guess-{n}"}).status_code
             for n in range(limit + 1)]
    assert set(codes[:limit]) == {401}
    assert codes[-1] == 429


def test_console_shows_mismatched_balances_as_money(app, operator, signup):
    _api, body = signup()
    slug = body["tenant"]["slug"]
    with app.app_context():
        with platform_connection(), platform_scope():  # PLATFORM-WIDE: a test breaks a balance
            db.session.execute(update(Tenant).where(Tenant.slug == slug)
                               .values(balance=Tenant.balance + 7))
        db.session.commit()
        db.session.remove()
    assert operator.post("/operator/login", data={"token": TOKEN}).status_code == 302
    page = operator.get("/operator/?check=1").get_data(as_text=True)
    assert "balance RUB\xa0200.07, ledger RUB\xa0200.00" in page
