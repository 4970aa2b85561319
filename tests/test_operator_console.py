"""The operator console: never for tenant staff, refused by the tenants' pages, tenants with
their figures, suspend and resume, the job queues, and the platform's audit log."""
import pytest
from rq import Queue, SimpleWorker
from sqlalchemy import text

from app.audit.models import OperatorAction
from app.extensions import db
from tenants.context import platform_connection, platform_scope, tenant_scope
from tenants.resolve import tenant_id_by_slug
from tests.conftest import STRONG_PASSWORD

TOKEN = "operator-console-token"


@pytest.fixture
def console(app, client):
    saved = app.config.get("OPERATOR_TOKEN")
    app.config["OPERATOR_TOKEN"] = TOKEN
    yield client
    app.config["OPERATOR_TOKEN"] = saved


def enter(client):
    assert client.post("/operator/login", data={"token": TOKEN}).status_code == 302


def actions(app, **where) -> list[OperatorAction]:
    with app.app_context(), platform_connection(), platform_scope():
        rows = db.session.query(OperatorAction).filter_by(**where).order_by(
            OperatorAction.id).all()
        db.session.expunge_all()
        return rows


def staff_login(client, slug):
    response = client.post(f"/t/{slug}/login", data={"email": f"admin@{slug}.example",
                                                     "password": STRONG_PASSWORD})
    assert response.status_code == 302


def test_tenant_staff_get_404_from_the_console(console, signup):
    _api, body = signup()
    staff_login(console, body["tenant"]["slug"])
    for path in ("/operator/", "/operator/login", "/operator/jobs", "/operator/audit",
                 f"/operator/tenants/{body['tenant']['slug']}"):
        assert console.get(path).status_code == 404, path
    assert console.post("/operator/login", data={"token": TOKEN}).status_code == 404
    assert console.post("/operator/adjust", data={"slug": body["tenant"]["slug"],
                                                  "amount": "5", "reason": "x"}).status_code == 404


def test_the_tenants_pages_refuse_the_operator(console, signup):
    api, body = signup()
    enter(console)
    assert console.get("/operator/").status_code == 200
    refused = console.get("/app/")
    assert refused.status_code == 403
    assert console.get("/app/tickets/").status_code == 403
    # the operator's token is no staff member's API token either
    assert console.get("/api/v1/tenant",
                       headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 401


def test_entering_the_console_ends_a_staff_login_in_that_browser(console, signup):
    _api, body = signup()
    slug = body["tenant"]["slug"]
    enter(console)
    staff_login(console, slug)  # a staff login in the operator's browser …
    assert console.get("/operator/").status_code == 404  # … makes the console vanish
    console.post("/logout")
    enter(console)
    assert console.get("/operator/").status_code == 200


def test_tenants_are_found_by_address_or_name_and_shown_with_usage(console, signup):
    api, body = signup(company_name="Zebra Unique Printing")
    slug = body["tenant"]["slug"]
    api.post("/tickets", {"subject": "Hello", "body": "Hi",
                          "requester": {"email": "c@x.example", "name": "C"}})
    enter(console)
    by_name = console.get("/operator/?q=zebra unique").get_data(as_text=True)
    assert slug in by_name
    assert slug not in console.get("/operator/?q=nothing-like-it").get_data(as_text=True)
    assert console.get("/operator/?q=%25_%5C").status_code == 200  # LIKE wildcards are text
    page = console.get(f"/operator/tenants/{slug}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Zebra Unique Printing" in html and "tickets_today: 1" in html
    assert "Trial credit" in html or "trial" in html.lower()
    assert console.get("/operator/tenants/no-such-tenant").status_code == 404


def test_suspend_and_resume_with_the_audit_and_the_tenants_event_log(app, console, signup):
    api, body = signup()
    slug = body["tenant"]["slug"]
    enter(console)
    refused = console.post(f"/operator/tenants/{slug}/suspend", data={"reason": " "},
                           follow_redirects=True)
    assert "Give a reason" in refused.get_data(as_text=True)
    assert api.get("/tenant").get_json()["suspended"] is False
    console.post(f"/operator/tenants/{slug}/suspend", data={"reason": "chargeback dispute"})
    assert api.get("/tenant").get_json()["suspended"] is True
    assert api.post("/departments", {"name": "Blocked"}).status_code == 402
    # neither a credit nor the daily charge lifts the operator's hold
    console.post("/operator/adjust", data={"slug": slug, "amount": "500",
                                           "reason": "goodwill"})
    assert api.get("/tenant").get_json()["suspended"] is True
    assert app.test_cli_runner().invoke(args=["billing", "charge-day"]).exit_code == 0
    billing = api.get("/billing").get_json()
    assert billing["suspended"] is True and billing["balance"] == "700.00"
    console.post(f"/operator/tenants/{slug}/resume", data={"reason": "settled"})
    tenant = api.get("/tenant").get_json()
    assert tenant["suspended"] is False
    assert api.post("/departments", {"name": "Allowed"}).status_code == 201
    assert api.get("/billing").get_json()["balance"] == "695.00"  # today paid on resuming
    events = [e["action"] for e in api.get("/events").get_json()["items"]]
    assert {"billing.held", "billing.hold_lifted", "billing.adjusted"} <= set(events)
    with app.app_context():
        tenant_id = tenant_id_by_slug(slug)
    audited = actions(app, subject_tenant_id=tenant_id)
    assert [a.action for a in audited] == ["tenant.suspended", "billing.adjusted",
                                          "tenant.resumed"]
    assert audited[0].reason == "chargeback dispute" and audited[0].source == "console"
    assert audited[0].tenant_slug == slug and audited[0].request_id
    assert audited[1].details["amount"] == 50000
    page = console.get("/operator/audit").get_data(as_text=True)
    assert "chargeback dispute" in page and "tenant.resumed" in page


def _fails():
    raise RuntimeError("smtp said no")


def test_failed_jobs_are_shown_with_their_error_and_retried(app, console):
    with app.app_context():
        redis = app.extensions["redis"]
        mail = Queue("mail", connection=redis)
        job = mail.enqueue(_fails)
        SimpleWorker([mail], connection=redis).work(burst=True)
    enter(console)
    page = console.get("/operator/jobs").get_data(as_text=True)
    assert "RuntimeError: smtp said no" in page and job.id in page
    assert console.post("/operator/jobs/no-such-job/retry").status_code == 404
    assert console.post(f"/operator/jobs/{job.id}/retry").status_code == 302
    with app.app_context():
        assert job.id in Queue("mail", connection=app.extensions["redis"]).job_ids
        assert Queue("mail", connection=app.extensions["redis"]).failed_job_registry.count == 0
    assert console.post(f"/operator/jobs/{job.id}/retry").status_code == 404  # not failed now
    retried = actions(app, action="job.retried")
    assert len(retried) == 1 and retried[0].details["job_id"] == job.id
    assert retried[0].details["error"] == "RuntimeError: smtp said no"


def test_catalog_changes_are_audited(app, console):
    enter(console)
    console.post("/operator/plans", data={"name": "standard", "daily_price": "4.50",
                                          "max_staff": "2", "tickets_per_day": "10"})
    console.post("/operator/addons", data={"name": "gmail", "daily_price": "3.00"})
    console.post("/operator/plans", data={"name": "standard", "max_staff": "many"})
    saved = [(a.action, a.details) for a in actions(app, source="console")]
    assert saved[0][0] == "catalog.plan_saved" and saved[0][1]["daily_price"] == 450
    assert saved[1] == ("catalog.addon_saved", {"addon": "gmail", "daily_price": 300})
    assert len(saved) == 2  # the refused change left nothing


def test_the_application_role_can_neither_read_nor_write_the_audit_log(app, console, signup):
    api, body = signup()
    enter(console)
    console.post(f"/operator/tenants/{body['tenant']['slug']}/suspend", data={"reason": "x"})
    assert actions(app)
    with app.app_context():
        tenant_id = tenant_id_by_slug(body["tenant"]["slug"])
        with tenant_scope(tenant_id):
            assert db.session.execute(text("SELECT count(*) FROM operator_actions")).scalar() == 0
            with pytest.raises(Exception, match="row-level security"):
                db.session.execute(text(
                    "INSERT INTO operator_actions (at, action, source, reason, details)"
                    " VALUES (now(), 'forged', 'cli', '', '{}')"))
            db.session.rollback()
    with app.app_context(), platform_connection(), platform_scope():
        with pytest.raises(Exception, match="append-only"):
            db.session.execute(text("DELETE FROM operator_actions"))
        db.session.rollback()
