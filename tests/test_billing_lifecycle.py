"""A tenant's life: the daily quota and deferral, daily charges, suspension, resumption."""
from datetime import UTC, datetime, timedelta

from rq import Queue
from sqlalchemy import func, select

from app.db_types import utcnow
from app.extensions import db
from billing.charging import charge_day, run_charge_day
from billing.ledger import adjust_balance, check_invariant, ledger_sum
from billing.letters import send_balance_letter
from billing.limits import claim_ticket_slot
from billing.models import LedgerEntry
from tenants import context
from tenants.models import Tenant
from tests.conftest import STRONG_PASSWORD


def _tenant_id(app, body) -> int:
    with app.app_context(), context.platform_connection(), context.platform_scope():
        return db.session.scalar(select(Tenant.id).where(Tenant.slug == body["tenant"]["slug"]))


def _ticket(api, n: int):
    response = api.post("/tickets", {"subject": f"Request {n}", "body": "Hello",
                                     "requester": {"email": f"c{n}@customer.example",
                                                   "name": f"C {n}"}})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _widget_ticket(app, tenant_id: int, n: int):
    """A customer's request, as the widget and mail import register it."""
    from app.tickets.service import create_ticket

    with app.app_context(), context.tenant_scope(tenant_id):
        ticket = create_ticket(actor=None, channel="widget", subject=f"Widget {n}",
                               body="Help", requester_email=f"w{n}@customer.example")
        db.session.commit()
        return ticket.deferred


def _login(client, body):
    slug = body["tenant"]["slug"]
    response = client.post(f"/t/{slug}/login", data={"email": f"admin@{slug}.example",
                                                     "password": STRONG_PASSWORD})
    assert response.status_code == 302


def _days(app, first: int, last: int):
    today = utcnow().date()
    results = []
    with app.app_context():
        for offset in range(first, last + 1):
            results.append(run_charge_day(today + timedelta(days=offset)))
    return results


def test_quota_claims_stop_at_the_limit_and_reset_each_day(app, signup):
    _, body = signup()
    tenant_id = _tenant_id(app, body)
    now = datetime(2030, 3, 1, 12, 0, tzinfo=UTC)
    with app.app_context(), context.tenant_scope(tenant_id):
        assert [claim_ticket_slot(tenant_id, now) for _ in range(12)] == [True] * 10 + [False] * 2
        assert claim_ticket_slot(tenant_id, now + timedelta(days=1)) is True


def test_quota_day_follows_the_tenant_time_zone(app, signup):
    _, body = signup()
    tenant_id = _tenant_id(app, body)
    evening_utc = datetime(2030, 3, 1, 20, 0, tzinfo=UTC)  # already 2 March in Almaty
    with app.app_context(), context.tenant_scope(tenant_id):
        db.session.get(Tenant, tenant_id).timezone = "Asia/Almaty"
        for _ in range(10):
            assert claim_ticket_slot(tenant_id, evening_utc)
        assert not claim_ticket_slot(tenant_id, evening_utc + timedelta(hours=3))  # same day
        assert claim_ticket_slot(tenant_id, evening_utc - timedelta(hours=6))  # 1 March there


def test_over_quota_tickets_are_stored_deferred_with_a_banner(app, client, signup):
    api, body = signup()
    tickets = [_ticket(api, n) for n in range(12)]
    assert [t["deferred"] for t in tickets] == [False] * 10 + [True] * 2
    usage = api.get("/tenant").get_json()["usage"]
    assert usage["tickets_today"] == 10 and usage["tickets_deferred"] == 2
    _login(client, body)
    page = client.get("/app/").get_data(as_text=True)
    assert "2 requests are waiting" in page and "Move to Pro now" in page


def test_upgrade_releases_deferred_tickets_at_once(app, signup):
    api, body = signup()
    for n in range(13):
        _ticket(api, n)
    result = api.post("/billing/plan", {"plan": "pro"}).get_json()
    assert result["released"] == 3
    usage = api.get("/tenant").get_json()["usage"]
    assert usage == usage | {"tickets_today": 13, "tickets_deferred": 0}
    events = api.get("/events?action=billing.tickets_released").get_json()["items"]
    assert events[0]["data"]["count"] == 3


def test_next_day_release_is_oldest_first_within_the_quota(app, signup):
    from billing.limits import release_deferred

    api, body = signup()
    numbers = [_ticket(api, n)["number"] for n in range(25)]
    tenant_id = _tenant_id(app, body)
    tomorrow = utcnow() + timedelta(days=1)
    with app.app_context(), context.tenant_scope(tenant_id):
        assert release_deferred(tenant_id, tomorrow) == 10
        db.session.commit()
        assert release_deferred(tenant_id, tomorrow) == 0  # tomorrow's quota is used up
    listed = api.get("/tickets?deferred=true&limit=100").get_json()["items"]
    assert sorted(t["number"] for t in listed) == numbers[20:]


def test_charge_day_twice_charges_once(app, signup):
    api, body = signup()
    tomorrow = utcnow().date() + timedelta(days=1)
    with app.app_context():
        first = charge_day(tomorrow)
        second = charge_day(tomorrow)
        db.session.commit()
        tenant_id = _tenant_id(app, body)
        with context.platform_connection(), context.platform_scope():
            charges = db.session.scalar(select(func.count()).select_from(LedgerEntry).where(
                LedgerEntry.tenant_id == tenant_id, LedgerEntry.kind == "daily_charge"))
    assert first.charged >= 1 and second.charged == 0
    assert charges == 1
    assert api.get("/billing").get_json()["balance"] == "195.00"


def test_signup_day_is_not_charged(app, signup):
    api, _ = signup()
    with app.app_context():
        charge_day(utcnow().date())
        db.session.commit()
    assert api.get("/billing").get_json()["balance"] == "200.00"


def test_forty_one_days_on_standard_end_suspended_with_ledger_equal_to_balance(app, signup):
    api, body = signup()
    tenant_id = _tenant_id(app, body)
    results = _days(app, 1, 41)
    billing = api.get("/billing?limit=100").get_json()
    assert billing["suspended"] is True and billing["balance"] == "0.00"
    charges = [e for e in billing["ledger"] if e["kind"] == "daily_charge"]
    assert len(charges) == 40 and {e["amount"] for e in charges} == {"-5.00"}
    assert tenant_id in results[40].suspended  # day 41 could not be paid
    assert all(tenant_id not in r.suspended for r in results[:40])
    assert tenant_id in results[36].running_low  # 15.00 left: three more days
    with app.app_context(), context.platform_connection(), context.platform_scope():
        assert check_invariant([tenant_id]) == []
        assert ledger_sum(tenant_id) == db.session.get(Tenant, tenant_id).balance == 0
    mail = Queue("mail", connection=app.extensions["redis"])
    letters = [(job.args[0], job.args[1]) for job in mail.get_jobs()]
    assert (tenant_id, "running_low") in letters and (tenant_id, "suspended") in letters
    actions = [e["action"] for e in api.get("/events?action=billing.").get_json()["items"]]
    assert "billing.suspended" in actions


def test_suspended_tenant_reads_but_cannot_change(app, client, signup):
    api, body = signup()
    _days(app, 1, 41)
    assert api.get("/departments").status_code == 200
    refused = api.post("/departments", {"name": "New"})
    assert refused.status_code == 402
    assert refused.get_json()["error"]["code"] == "insufficient_balance"
    assert api.post("/tickets", {"subject": "x", "body": "y",
                                 "requester": {"email": "a@b.example"}}).status_code == 402
    assert api.get("/billing").status_code == 200
    _login(client, body)
    page = client.get("/app/")
    assert page.status_code == 200 and "suspended" in page.get_data(as_text=True)
    assert "Top up" in page.get_data(as_text=True)
    ui_refused = client.post("/app/departments/", data={"name": "New"})
    assert ui_refused.status_code == 402
    assert "Top up the balance" in ui_refused.get_data(as_text=True)


def test_widget_requests_still_register_while_suspended(app, signup):
    api, body = signup()
    _days(app, 1, 41)
    tenant_id = _tenant_id(app, body)
    assert _widget_ticket(app, tenant_id, 1) is True
    assert api.get("/tenant").get_json()["usage"]["tickets_deferred"] == 1


def test_topup_resumes_at_once_and_releases_what_waited(app, signup):
    api, body = signup()
    _days(app, 1, 41)
    tenant_id = _tenant_id(app, body)
    for n in range(3):
        assert _widget_ticket(app, tenant_id, n) is True
    from billing.models import Topup
    from billing.topups import credit_topup

    with app.app_context(), context.tenant_scope(tenant_id):
        topup = Topup(tenant_id=tenant_id, session_id="cs_test_resume", amount=10_000,
                      currency="RUB", status="pending")
        db.session.add(topup)
        db.session.flush()
        assert credit_topup(topup, source="test") is True
        db.session.commit()
    billing = api.get("/billing").get_json()
    assert billing["suspended"] is False
    assert billing["balance"] == "95.00"  # 100.00 in, today's 5.00 charged on resuming
    assert billing["ledger"][0]["kind"] == "daily_charge"
    assert api.get("/tenant").get_json()["usage"]["tickets_deferred"] == 0
    assert api.post("/departments", {"name": "Back"}).status_code == 201
    with app.app_context(), context.platform_connection(), context.platform_scope():
        assert check_invariant([tenant_id]) == []


def test_small_topup_that_does_not_cover_the_day_keeps_the_suspension(app, signup):
    api, body = signup()
    _days(app, 1, 41)
    tenant_id = _tenant_id(app, body)
    from billing.suspension import resume_if_covered

    with app.app_context(), context.tenant_scope(tenant_id):
        adjust_balance(actor="operator", tenant_id=tenant_id, amount=300, reason="goodwill")
        assert resume_if_covered(tenant_id) is False
        db.session.commit()
    assert api.get("/billing").get_json()["suspended"] is True


def test_balance_letters_go_to_the_admins(app, signup):
    api, body = signup()
    tenant_id = _tenant_id(app, body)
    with app.app_context():
        recipients = send_balance_letter(tenant_id, "suspended")
    assert recipients == [f"admin@{body['tenant']['slug']}.example"]
    letters = api.get("/events?action=billing.letter").get_json()["items"]
    assert letters[0]["data"]["kind"] == "suspended"
    assert "suspended" in letters[0]["data"]["subject"]
    mail = Queue("mail", connection=app.extensions["redis"]).get_jobs()
    delivery = [job for job in mail if job.func_name.endswith("deliver_letter")]
    assert delivery and delivery[-1].args[1] == recipients
    assert "Top up the balance" in delivery[-1].args[3]


def test_suspended_tenant_cannot_take_on_new_costs(app, signup):
    api, _ = signup()
    _days(app, 1, 41)
    assert api.post("/billing/addons", {"addon": "gmail"}).status_code == 402
    assert api.post("/billing/plan", {"plan": "pro"}).status_code == 402


def test_cron_jobs_charge_the_day_and_release_each_new_day(app, signup):
    import time_machine

    from billing.jobs import charge_day_job, release_all

    api, _ = signup()
    for n in range(12):
        _ticket(api, n)
    with app.app_context():
        assert release_all() == 0  # today's quota is used up
    with time_machine.travel(utcnow() + timedelta(days=1)):
        with app.app_context():
            summary = charge_day_job()
            assert release_all() >= 2
    assert summary["charged"] >= 1
    usage = api.get("/tenant").get_json()["usage"]
    assert usage["tickets_deferred"] == 0
    assert api.get("/billing").get_json()["balance"] == "195.00"
