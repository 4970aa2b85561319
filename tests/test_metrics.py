"""GET /metrics: Prometheus text behind METRICS_TOKEN, with requests by endpoint and status,
queue depths, failed jobs, registered scrape-time gauges and the widget's intake."""
import os
import re
import subprocess
import sys

import pytest
from rq import Queue, SimpleWorker

from app.config import ROOT
from app.telemetry import metrics
from tests.widget_support import Site, complete_requests

TOKEN = "metrics-secret"


@pytest.fixture
def scrape(app, client):
    saved = app.config.get("METRICS_TOKEN")
    app.config["METRICS_TOKEN"] = TOKEN

    def read() -> str:
        response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 200
        assert response.mimetype == "text/plain"
        return response.get_data(as_text=True)

    yield read
    app.config["METRICS_TOKEN"] = saved


def sample(text: str, name: str, **labels) -> float | None:
    """The value of the sample ``name{labels}`` (labels in any order), or None."""
    for line in text.splitlines():
        match = re.match(r"^(\w+)(?:\{(.*)\})? (\S+)$", line)
        if not match or match.group(1) != name:
            continue
        found = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', match.group(2) or ""))
        if all(found.get(k) == str(v) for k, v in labels.items()):
            return float(match.group(3))
    return None


def test_metrics_do_not_exist_without_the_setting(app, client):
    assert app.config["METRICS_TOKEN"] == ""
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer x"}).status_code == 404


def test_metrics_need_the_token(app, client, scrape):
    assert client.get("/metrics").status_code == 401
    wrong = client.get("/metrics", headers={"Authorization": "Bearer guess"})
    assert wrong.status_code == 401 and "helpdesk_" not in wrong.get_data(as_text=True)
    assert wrong.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/metrics", headers={"Authorization": TOKEN}).status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer métrics"}).status_code == 401
    assert "# TYPE helpdesk_http_requests_total counter" in scrape()


def endpoint_of(app, path: str, method: str = "GET") -> str:
    return app.url_map.bind("localhost").match(path, method)[0]


def test_requests_are_counted_by_endpoint_and_status_never_by_path(app, client, tenant_a,
                                                                    scrape):
    tenant = endpoint_of(app, "/api/v1/tenant")
    before = scrape()
    start = sample(before, "helpdesk_http_requests_total", endpoint=tenant,
                   method="GET", status="200") or 0
    tenant_a.get("/tenant")
    tenant_a.get("/tenant")
    client.get("/no/such/page-4711")
    tenant_a.get("/tickets/99999999")
    text = scrape()
    assert sample(text, "helpdesk_http_requests_total", endpoint=tenant,
                  method="GET", status="200") == start + 2
    assert sample(text, "helpdesk_http_requests_total", endpoint="unmatched", method="GET",
                  status="404") >= 1
    assert sample(text, "helpdesk_http_request_duration_seconds_count",
                  endpoint=tenant, status="200") >= 2
    assert sample(text, "helpdesk_http_request_duration_seconds_bucket",
                  endpoint=tenant, status="200", le="+Inf") >= 2
    ticket = endpoint_of(app, "/api/v1/tickets/99999999")
    assert sample(text, "helpdesk_http_requests_total", endpoint=ticket, method="GET",
                  status="404") >= 1
    labels = {value for line in text.splitlines() if line.startswith("helpdesk_http_")
              for value in re.findall(r'="([^"]*)"', line)}
    assert not [v for v in labels if "/" in v or "4711" in v or "99999999" in v]


def _fails():
    raise RuntimeError("the printer is on fire")


def test_queue_depths_and_failed_jobs(app, scrape):
    with app.app_context():
        redis = app.extensions["redis"]
        mail = Queue("mail", connection=redis)
        mail.enqueue(len, "waiting")
        mail.enqueue(len, "also waiting")
        default = Queue("default", connection=redis)
        default.enqueue(_fails)
        SimpleWorker([default], connection=redis).work(burst=True)
    text = scrape()
    assert sample(text, "helpdesk_queue_depth", queue="mail") == 2
    assert sample(text, "helpdesk_queue_depth", queue="default") == 0
    assert sample(text, "helpdesk_failed_jobs", queue="default") == 1
    assert sample(text, "helpdesk_failed_jobs", queue="mail") == 0


def test_an_area_registers_a_gauge_read_at_scrape_time(app, scrape):
    readings = [({"tenant": "acme"}, 42.5)]
    metrics.add_gauge(app, "helpdesk_test_lag_seconds", "A test source", ("tenant",),
                      lambda: readings)
    metrics.add_gauge(app, "helpdesk_test_broken", "A source whose store is down", (),
                      lambda: 1 / 0)
    try:
        text = scrape()
        assert sample(text, "helpdesk_test_lag_seconds", tenant="acme") == 42.5
        assert "helpdesk_test_broken" not in text  # left out, the rest still served
        assert sample(text, "helpdesk_queue_depth", queue="default") == 0
        readings[:] = [({"tenant": "acme"}, 3)]
        assert sample(scrape(), "helpdesk_test_lag_seconds", tenant="acme") == 3
    finally:
        app.extensions["metric_gauges"].pop("helpdesk_test_lag_seconds")
        app.extensions["metric_gauges"].pop("helpdesk_test_broken")


def test_widget_intake_counts_stored_tickets_only(app, tenant_a, scrape):
    site = Site(tenant_a).allow()
    before = sample(scrape(), "helpdesk_tickets_received_total", channel="widget") or 0
    assert site.post().status_code == 201
    assert site.post({"email": "not an address"}).status_code == 422
    complete_requests(app)  # the stored request becomes its ticket
    text = scrape()
    assert sample(text, "helpdesk_tickets_received_total", channel="widget") == before + 1
    api_before = sample(text, "helpdesk_tickets_received_total", channel="api") or 0
    created = tenant_a.post("/tickets", {"subject": "By API", "body": "Hello",
                                         "requester": {"email": "c@x.example", "name": "C"}})
    assert created.status_code == 201
    assert sample(scrape(), "helpdesk_tickets_received_total", channel="api") == api_before + 1


def test_healthz_is_unchanged(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "redis": "ok"}


MULTIPROCESS = """
import os, sys, types
from app.telemetry import metrics
metrics.observe_request("api.get_tenant", "GET", 200, 0.01)
metrics.ticket_received("widget")
text, kind = metrics.render(types.SimpleNamespace(extensions={}))
print(text.decode())
"""


def test_multiprocess_mode_adds_up_the_workers(tmp_path):
    """Under gunicorn each worker writes its values to PROMETHEUS_MULTIPROC_DIR; a scrape
    reads all of them. Two processes each count one request: the scrape says two."""
    env = os.environ | {"PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    for _ in range(2):
        done = subprocess.run([sys.executable, "-c", MULTIPROCESS], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    assert list(tmp_path.glob("counter_*.db"))
    text = done.stdout
    assert sample(text, "helpdesk_http_requests_total", endpoint="api.get_tenant",
                  method="GET", status="200") == 2
    assert sample(text, "helpdesk_tickets_received_total", channel="widget") == 2


def test_gmail_sync_lag_per_connected_mailbox(app, signup, scrape):
    from datetime import timedelta

    from app.db_types import utcnow
    from app.extensions import db
    from app.mailbox.models import Mailbox
    from tenants.context import tenant_scope
    from tenants.resolve import tenant_id_by_slug

    slugs = [signup()[1]["tenant"]["slug"] for _ in range(3)]
    with app.app_context():
        for slug, status, synced in ((slugs[0], "connected", 120),
                                     (slugs[1], "disconnected", 5000),
                                     (slugs[2], "connected", None)):
            tenant_id = tenant_id_by_slug(slug)
            with tenant_scope(tenant_id):
                db.session.add(Mailbox(
                    tenant_id=tenant_id, email=f"help@{slug}.example", status=status,
                    connected_at=utcnow() - timedelta(seconds=600),
                    last_sync_at=utcnow() - timedelta(seconds=synced) if synced else None))
            db.session.commit()
    text = scrape()
    assert 120 <= sample(text, "helpdesk_gmail_sync_lag_seconds", tenant=slugs[0]) < 180
    assert sample(text, "helpdesk_gmail_sync_lag_seconds", tenant=slugs[1]) is None
    assert 600 <= sample(text, "helpdesk_gmail_sync_lag_seconds", tenant=slugs[2]) < 660
