"""A tenant's billing life in a real browser: over the daily limit, upgrade, suspension,
top-up through (fake) Stripe Checkout, and the way back."""
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.db_types import utcnow
from app.extensions import db
from tests.browser.conftest import screenshot
from tests.fakes.stripe_server import FakeStripe, sign

pytestmark = [pytest.mark.browser, pytest.mark.real_commits]
SECRET = "whsec_browser"


@pytest.fixture
def fake_stripe(live_app):
    saved = {k: live_app.config.get(k) for k in ("STRIPE_API_KEY", "STRIPE_WEBHOOK_SECRET",
                                                  "STRIPE_API_BASE")}
    with FakeStripe() as fake:
        live_app.config.update(STRIPE_API_KEY=fake.api_key, STRIPE_WEBHOOK_SECRET=SECRET,
                               STRIPE_API_BASE=fake.url)
        yield fake
    live_app.config.update(saved)


def _widget_requests(company, count: int) -> None:
    from app.tickets.service import create_ticket

    for n in range(count):
        company.run(lambda n=n: create_ticket(
            actor=None, channel="widget", subject=f"Widget {n}", body="Help",
            requester_email=f"w{n}@customer.example"))


def test_limits_upgrade_suspension_and_topup(page, company, live_app, fake_stripe):
    from billing.charging import run_charge_day
    from billing.ledger import adjust_balance

    _widget_requests(company, 12)
    company.login(page)
    banner = page.locator(".banner-warning")
    expect(banner).to_contain_text("2 requests are waiting")
    screenshot(page, "billing-deferred-banner")

    banner.get_by_role("button", name="Move to Pro now").click()
    expect(page.locator(".flash-success").first).to_contain_text("Pro")
    expect(page.locator(".flash-success").nth(1)).to_contain_text("2 waiting requests")
    expect(page.get_by_test_id("plan")).to_have_text("Pro")
    expect(page.get_by_test_id("ledger")).to_contain_text("Plan upgrade")

    # The balance runs out: the next day cannot be paid.
    company.run(lambda: adjust_balance(actor="operator", tenant_id=company.tenant_id,
                                       amount=-19_000, reason="browser test"))
    with live_app.app_context():
        run_charge_day(utcnow().date() + timedelta(days=1))
        db.session.remove()
    page.goto("/app/")
    expect(page.locator(".banner-danger")).to_contain_text("suspended")
    page.goto("/app/departments/")
    page.fill("section.side input[name=name]", "Refused while suspended")
    page.get_by_role("button", name="Create").click()
    expect(page.locator("h1")).to_have_text("The help desk is suspended")
    screenshot(page, "billing-suspended")

    page.get_by_role("link", name="Top up the balance").click()
    page.fill("input[name=amount]", "abc")
    page.get_by_role("button", name="Pay by card").click()
    expect(page.locator(".field .error")).to_contain_text("two decimal places")
    page.fill("input[name=amount]", "500")
    page.get_by_role("button", name="Pay by card").click()
    page.wait_for_url(f"{fake_stripe.url}/c/pay/**")
    session_id = page.url.rsplit("/", 1)[-1]

    # The customer pays on Stripe's page; Stripe calls the webhook and sends them back.
    fake_stripe.pay(session_id)
    payload = fake_stripe.event("checkout.session.completed", session_id)
    response = page.request.post("/billing/stripe/webhook", data=payload, headers={
        "Stripe-Signature": sign(payload, SECRET), "Content-Type": "application/json"})
    assert response.status == 200 and response.json()["outcome"] == "credited"
    page.goto(f"/app/billing/topup/done?session_id={session_id}")
    expect(page.get_by_test_id("topup-status")).to_contain_text("is on your balance")
    expect(page.locator(".banner-danger")).to_have_count(0)
    page.get_by_role("link", name="Back to Billing").click()
    expect(page.get_by_test_id("ledger")).to_contain_text("Top-up")
    screenshot(page, "billing-page")
