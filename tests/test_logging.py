"""Structured logs: one JSON object per line with the request id, which every response
echoes and which travels into the jobs the request enqueued."""
import json
import logging
import sys

from rq import Queue, SimpleWorker

from app.extensions import db
from app.jobs import enqueue, tenant_job
from app.telemetry.context import current_request_id, request_id_bound
from app.telemetry.logs import JsonFormatter
from tenants.resolve import tenant_id_by_slug

FIELDS = {"time", "level", "logger", "message", "request_id", "tenant"}


def as_json(record: logging.LogRecord) -> dict:
    line = JsonFormatter().format(record)
    assert "\n" not in line
    return json.loads(line)


def test_a_sane_request_id_is_echoed_and_anything_else_replaced(client):
    assert client.get("/healthz", headers={"X-Request-ID": "lb-7f3a.42:x"}).headers[
        "X-Request-ID"] == "lb-7f3a.42:x"
    fresh = client.get("/healthz").headers["X-Request-ID"]
    assert len(fresh) == 32 and int(fresh, 16) >= 0
    assert client.get("/healthz").headers["X-Request-ID"] != fresh
    for insane in ("two words", 'quote"d', "x" * 101, "naïve", "{json}"):
        echoed = client.get("/healthz", headers={"X-Request-ID": insane}).headers[
            "X-Request-ID"]
        assert echoed != insane and len(echoed) == 32


def test_every_request_writes_one_json_line(client, tenant_a, caplog):
    caplog.set_level(logging.INFO, logger="app.requests")
    response = tenant_a.get("/tenant", headers={"X-Request-ID": "req-json-1"})
    assert response.status_code == 200
    records = [r for r in caplog.records if r.name == "app.requests"]
    assert len(records) == 1
    line = as_json(records[0])
    assert FIELDS | {"endpoint", "method", "status", "duration"} <= set(line)
    assert line["request_id"] == "req-json-1"
    assert line["level"] == "INFO" and line["logger"] == "app.requests"
    assert line["status"] == 200 and line["method"] == "GET"
    assert line["endpoint"].startswith("api.") and "/" not in line["endpoint"]
    assert 0 <= line["duration"] < 30
    with client.application.app_context():
        assert line["tenant"] == tenant_id_by_slug(response.get_json()["slug"])
    assert line["time"].endswith("+00:00")


def test_an_exception_stays_on_one_line():
    try:
        raise ValueError("line one\nline two")
    except ValueError:
        record = logging.LogRecord("app.x", logging.ERROR, __file__, 1, "failed: %s",
                                   ("a\nb",), exc_info=sys.exc_info())
    line = as_json(record)
    assert line["message"] == "failed: a\nb" and "line two" in line["exc_info"]


def test_the_request_id_travels_into_the_jobs_it_enqueued(app, client, signup):
    _api, body = signup()
    slug = body["tenant"]["slug"]
    with app.app_context():
        app.extensions["redis"].delete("rq:queue:mail")  # the signup's own letters
    response = client.post(f"/t/{slug}/forgot-password",
                           data={"email": f"admin@{slug}.example"},
                           headers={"X-Request-ID": "req-forgot-9"})
    assert response.status_code in (200, 302)
    with app.app_context():
        jobs = Queue("mail", connection=app.extensions["redis"]).jobs
    assert jobs, "the reset letter was queued"
    assert {job.meta.get("request_id") for job in jobs} == {"req-forgot-9"}


@tenant_job
def tell_request_id(tenant_id: int) -> str:
    logging.getLogger("app.test_job").warning("inside the job")
    return current_request_id()


def test_a_worker_restores_the_request_id_in_its_log_lines(app, tenant_a, caplog):
    slug = tenant_a.get("/tenant").get_json()["slug"]
    with app.app_context():
        tenant_id = tenant_id_by_slug(slug)
        with request_id_bound("req-job-5"):
            enqueue(tell_request_id, tenant_id)
            db.session.commit()  # enqueued after the commit
        assert current_request_id() is None
        redis = app.extensions["redis"]
        queue = Queue("default", connection=redis)
        job = queue.jobs[0]
        assert job.meta["request_id"] == "req-job-5"
        caplog.set_level(logging.INFO)
        SimpleWorker([queue], connection=redis).work(burst=True)
        job.refresh()
        assert job.return_value() == "req-job-5"
    lines = [as_json(r) for r in caplog.records if r.name == "app.test_job"]
    assert lines and lines[0]["request_id"] == "req-job-5"
    assert lines[0]["tenant"] == tenant_id
