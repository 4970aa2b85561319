"""Top-ups: the real ``stripe`` library against the local fake Stripe, and signed webhooks."""
import time

import pytest

from app.extensions import db
from billing.models import StripeEvent
from tests.conftest import STRONG_PASSWORD
from tests.fakes.stripe_server import FakeStripe, sign

SECRET = "whsec_test_secret"


@pytest.fixture(scope="module")
def fake_stripe():
    with FakeStripe() as fake:
        yield fake


@pytest.fixture
def stripe_app(app, fake_stripe):
    saved = {k: app.config.get(k) for k in ("STRIPE_API_KEY", "STRIPE_WEBHOOK_SECRET",
                                             "STRIPE_API_BASE")}
    app.config.update(STRIPE_API_KEY=fake_stripe.api_key, STRIPE_WEBHOOK_SECRET=SECRET,
                      STRIPE_API_BASE=fake_stripe.url)
    yield app
    app.config.update(saved)


def deliver(client, payload: str, *, secret: str = SECRET, timestamp: int | None = None,
            signature: str | None = None):
    header = signature if signature is not None else sign(payload, secret, timestamp)
    return client.post("/billing/stripe/webhook", data=payload,
                       headers={"Stripe-Signature": header, "Content-Type": "application/json"})


def start(api, amount="500.00") -> dict:
    response = api.post("/billing/topups", {"amount": amount})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def balance(api) -> str:
    return api.get("/billing").get_json()["balance"]


def test_topup_creates_a_checkout_session_with_tenant_and_amount(stripe_app, fake_stripe,
                                                                   signup):
    api, body = signup()
    started = start(api, "500.00")
    session = fake_stripe.sessions[started["session_id"]]
    assert started["checkout_url"] == session["url"]
    request = [r for r in fake_stripe.requests if r["method"] == "POST"][-1]
    assert request["content_type"].startswith("application/x-www-form-urlencoded")
    params = request["params"]
    assert params["mode"] == "payment"
    price = params["line_items"][0]["price_data"]
    assert price["currency"] == "rub" and price["unit_amount"] == "50000"
    assert params["metadata"]["amount"] == "50000"
    assert params["metadata"]["tenant"] == body["tenant"]["slug"]
    assert params["client_reference_id"] == params["metadata"]["tenant_id"]
    assert session["success_url"].endswith(f"session_id={started['session_id']}")
    assert balance(api) == "200.00"  # nothing credited before Stripe says it is paid


@pytest.mark.parametrize("amount", ["-5", "0", "0.00", "abc", "5.00", "99.99", "1000000.01",
                                    "1e9", "10.001", True, None, "", "NaN", [1]])
def test_bad_topup_amounts_are_422(stripe_app, fake_stripe, signup, amount):
    api, _ = signup()
    before = len(fake_stripe.sessions)
    response = api.post("/billing/topups", {"amount": amount})
    assert response.status_code == 422, response.get_json()
    assert "amount" in response.get_json()["error"]["fields"]
    assert len(fake_stripe.sessions) == before


def test_webhook_replayed_five_times_credits_once(stripe_app, fake_stripe, client, signup):
    api, _ = signup()
    started = start(api)
    fake_stripe.pay(started["session_id"])
    payload = fake_stripe.event("checkout.session.completed", started["session_id"])
    outcomes = [deliver(client, payload) for _ in range(5)]
    assert [r.status_code for r in outcomes] == [200] * 5
    assert [r.get_json()["outcome"] for r in outcomes] == ["credited"] + ["duplicate"] * 4
    billing = api.get("/billing").get_json()
    assert billing["balance"] == "700.00"
    topups = [e for e in billing["ledger"] if e["kind"] == "topup"]
    assert len(topups) == 1 and topups[0]["reference"] == started["session_id"]
    credited = api.get("/events?action=billing.credited").get_json()["items"]
    assert sum(1 for e in credited if e["data"].get("kind") == "topup") == 1


def test_two_events_for_one_payment_credit_once_in_any_order(stripe_app, fake_stripe, client,
                                                             signup):
    api, _ = signup()
    started = start(api)
    session_id = started["session_id"]
    # A delayed payment method: Stripe's success arrives before the "completed, unpaid" event.
    unpaid = fake_stripe.event("checkout.session.completed", session_id)
    fake_stripe.pay(session_id)
    succeeded = fake_stripe.event("checkout.session.async_payment_succeeded", session_id)
    assert deliver(client, succeeded).get_json()["outcome"] == "credited"
    assert deliver(client, unpaid).get_json()["outcome"] == "processing"
    paid_again = fake_stripe.event("checkout.session.completed", session_id)
    assert deliver(client, paid_again).get_json()["outcome"] == "already_credited"
    failed_late = fake_stripe.event("checkout.session.async_payment_failed", session_id)
    assert deliver(client, failed_late).get_json()["outcome"] == "already_credited"
    assert balance(api) == "700.00"


def test_async_failure_credits_nothing(stripe_app, fake_stripe, client, signup):
    api, _ = signup()
    started = start(api)
    deliver(client, fake_stripe.event("checkout.session.completed", started["session_id"]))
    response = deliver(client, fake_stripe.event("checkout.session.async_payment_failed",
                                                 started["session_id"]))
    assert response.get_json()["outcome"] == "failed"
    assert balance(api) == "200.00"


@pytest.mark.parametrize("tamper", ["wrong_secret", "old", "garbage", "missing", "body"])
def test_bad_signatures_are_400_and_change_nothing(stripe_app, fake_stripe, client, signup,
                                                   tamper):
    api, _ = signup()
    started = start(api)
    fake_stripe.pay(started["session_id"])
    payload = fake_stripe.event("checkout.session.completed", started["session_id"])
    if tamper == "wrong_secret":
        response = deliver(client, payload, secret="whsec_other")
    elif tamper == "old":
        response = deliver(client, payload, timestamp=int(time.time()) - 3600)
    elif tamper == "garbage":
        response = deliver(client, payload, signature="t=1,v1=deadbeef")
    elif tamper == "missing":
        response = deliver(client, payload, signature="")
    else:  # signed, then changed in transit
        header = sign(payload, SECRET)
        forged = payload.replace('"amount_total": 50000', '"amount_total": 5000000')
        response = deliver(client, forged, signature=header)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"
    assert balance(api) == "200.00"
    # The genuine event still works afterwards: a rejected delivery recorded nothing.
    assert deliver(client, payload).get_json()["outcome"] == "credited"


def test_unparseable_but_signed_body_is_400(stripe_app, client):
    assert deliver(client, "{not json").status_code == 400


def test_event_for_unknown_session_is_logged_and_credits_nothing(app, stripe_app, fake_stripe,
                                                                 client, signup):
    api, _ = signup()
    started = start(api)
    own = fake_stripe.sessions[started["session_id"]]
    stranger = dict(own, id="cs_test_unknown", payment_status="paid")
    response = deliver(client, fake_stripe.event("checkout.session.completed", "",
                                                 session=stranger))
    assert response.status_code == 200
    assert response.get_json()["outcome"] == "unknown_session"
    with app.app_context():
        logged = db.session.get(StripeEvent, response.get_json()["event"])
        assert (logged.outcome, logged.tenant_id) == ("unknown_session", None)
    no_tenant = dict(stranger, client_reference_id=None, metadata={})
    assert deliver(client, fake_stripe.event("checkout.session.completed", "",
                                             session=no_tenant)).status_code == 200
    assert balance(api) == "200.00"


def test_other_event_types_are_acknowledged(stripe_app, fake_stripe, client, signup):
    api, _ = signup()
    started = start(api)
    response = deliver(client, fake_stripe.event("payment_intent.created",
                                                 started["session_id"]))
    assert response.status_code == 200 and response.get_json()["outcome"] == "ignored"


def _login(client, body):
    slug = body["tenant"]["slug"]
    response = client.post(f"/t/{slug}/login", data={"email": f"admin@{slug}.example",
                                                     "password": STRONG_PASSWORD})
    assert response.status_code == 302


def test_topup_through_the_pages(stripe_app, fake_stripe, client, signup):
    api, body = signup()
    _login(client, body)
    page = client.get("/app/billing/")
    assert page.status_code == 200 and "200" in page.get_data(as_text=True)
    bad = client.post("/app/billing/topup", data={"amount": "-3"})
    assert bad.status_code == 422
    assert "positive" in bad.get_data(as_text=True)
    response = client.post("/app/billing/topup", data={"amount": "300"})
    assert response.status_code == 303
    session_id = response.headers["Location"].rsplit("/", 1)[-1]
    assert response.headers["Location"].startswith(fake_stripe.url)
    cancelled = client.get("/app/billing/topup/cancelled")
    assert cancelled.status_code == 200
    fake_stripe.pay(session_id)
    # The success page asks Stripe and credits at once if the webhook is late …
    done = client.get(f"/app/billing/topup/done?session_id={session_id}")
    assert done.status_code == 200
    assert balance(api) == "500.00"
    # … and the webhook that follows does not credit again.
    late = deliver(client, fake_stripe.event("checkout.session.completed", session_id))
    assert late.get_json()["outcome"] == "already_credited"
    assert balance(api) == "500.00"
    assert client.get("/app/billing/topup/done?session_id=cs_nope").status_code == 404


def test_topup_without_stripe_configured_is_a_clear_error(app, signup):
    api, _ = signup()
    saved = app.config.get("STRIPE_API_KEY")
    app.config["STRIPE_API_KEY"] = ""
    try:
        response = api.post("/billing/topups", {"amount": "500"})
    finally:
        app.config["STRIPE_API_KEY"] = saved
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "payments_unavailable"


def test_another_tenants_session_is_never_theirs(stripe_app, fake_stripe, client, signup):
    api_a, _ = signup()
    api_b, body_b = signup()
    started = start(api_a)
    fake_stripe.pay(started["session_id"])
    _login(client, body_b)
    assert client.get(f"/app/billing/topup/done?session_id={started['session_id']}"
                      ).status_code == 404
    # An event naming another tenant for tenant A's session credits nobody.
    session = dict(fake_stripe.sessions[started["session_id"]])
    a_id = session["client_reference_id"]
    session["client_reference_id"] = str(int(a_id) + 1)
    session["metadata"] = dict(session["metadata"], tenant_id=session["client_reference_id"])
    spoofed = deliver(client, fake_stripe.event("checkout.session.completed", "",
                                                session=session))
    assert spoofed.get_json()["outcome"] == "unknown_session"
    assert balance(api_a) == "200.00" and balance(api_b) == "200.00"
