"""The widget's intake served below Flask's request machinery (``app.widget.direct``): the
widget's own request is answered there exactly as the view answers it, and everything else
reaches the view with its body intact and its rate limits counted once."""
import logging
import time

import pytest
from prometheus_client import REGISTRY
from rq import Queue
from sqlalchemy import create_engine, func, make_url, select, text
from sqlalchemy.pool import NullPool
from werkzeug.test import Client

from app import dedicated
from app.extensions import db
from app.widget import direct, lean, parsing, registration, tenant_keys
from app.widget.models import WidgetRequest
from tenants import context
from tenants.database import TenantSession
from tenants.models import Tenant
from tests.conftest import remove_tenant
from tests.widget_support import SHOP, Site, complete_requests, letters_of

VARYING = {"X-Request-ID", "Content-Length"}


@pytest.fixture
def site(tenant_a):
    return Site(tenant_a).allow()


@pytest.fixture
def no_view(app):
    """The view of ``POST /widget/<key>/tickets`` fails the test if it is reached."""
    saved = app.view_functions["widget.tickets"]

    def reached(*args, **kwargs):
        raise AssertionError("the request reached the view")

    app.view_functions["widget.tickets"] = reached
    yield
    app.view_functions["widget.tickets"] = saved


@pytest.fixture
def limits(app):
    saved = {name: app.config[name] for name in ("WIDGET_RATE_LIMIT", "WIDGET_KEY_RATE_LIMIT")}
    yield app.config
    app.config.update(saved)


def _remembered(site) -> None:
    """One request through the view, so that this process remembers the key's tenant."""
    assert site.send().status_code == 201
    assert tenant_keys.known(site.key) is not None


def _remember(app, key: str) -> None:
    """This process remembers the key's tenant (as after the key's first request)."""
    with app.app_context():
        assert tenant_keys.enter_by_key(key) is not None
        db.session.remove()
    context.clear()


def _counters(app, who: str) -> list[int]:
    redis = app.extensions["redis"]
    return [int(redis.get(name)) for name in redis.scan_iter(f"widget-limit:{who}:*")]


def test_the_widgets_request_is_answered_without_the_view_and_becomes_a_ticket(
        app, site, no_view):
    tenant_keys.clear()
    with pytest.raises(AssertionError, match="reached the view"):
        site.send()  # a key this process has not met yet goes to the view
    _remember(app, site.key)
    answered = site.send({"subject": "Scanner offline", "body": "It is offline."},
                         query="?language=kk")
    assert answered.status_code == 201, answered.get_data(as_text=True)
    body = answered.get_json()
    assert body["number"] >= 1 and body["deferred"] is False
    assert body["status_url"].startswith("http")
    complete_requests(app)
    [listed] = site.api.get("/tickets?q=scanner").get_json()["items"]
    assert listed["number"] == body["number"] and listed["channel"] == "widget"
    assert [details["language"] for _, details in letters_of(app, "receipt")] == ["kk"]


def test_the_answer_carries_exactly_what_the_views_answer_carries(app, site):
    _remembered(site)
    through_view = Client(app.wsgi_app.wrapped)  # Flask alone, without the direct intake
    assert isinstance(app.wsgi_app, direct.DirectIntake)
    answers = []
    for client in (site.client, through_view):
        answers.append(client.post(
            f"/widget/{site.key}/tickets?language=en",
            data="email=c%40client.example&subject=Hello&body=Hi",
            content_type="application/x-www-form-urlencoded",
            headers={"Origin": SHOP, "X-Request-ID": "abc-123"}))
    direct_answer, view_answer = answers
    assert direct_answer.status_code == view_answer.status_code == 201

    def headers(response):
        return sorted((k, v) for k, v in response.headers.items() if k not in VARYING)

    assert headers(direct_answer) == headers(view_answer)
    assert direct_answer.headers["X-Request-ID"] == view_answer.headers["X-Request-ID"] == "abc-123"
    assert direct_answer.get_json().keys() == view_answer.get_json().keys()
    assert direct_answer.get_json()["number"] + 1 == view_answer.get_json()["number"]


def test_json_is_served_directly_too(app, site, no_view):
    _remember(app, site.key)
    assert site.post({"subject": "By script"}).status_code == 201


def test_a_flood_is_counted_once_per_request_and_refused_by_the_view(app, site, limits):
    limits["WIDGET_RATE_LIMIT"] = "3 per minute"
    _remembered(site)
    assert [site.send().status_code for _ in range(2)] == [201, 201]
    limited = site.send()
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    assert limited.headers["Access-Control-Allow-Origin"] == SHOP
    assert limited.get_json()["error"]["code"] == "rate_limited"
    assert _counters(app, "ip:127.0.0.1") == [4]  # four requests, four counts
    assert _counters(app, f"key:{site.key}") == [4]


def test_an_origin_not_allowed_is_refused_by_the_view(app, site):
    _remembered(site)
    refused = site.send(headers={"Origin": "https://evil.example"})
    assert refused.status_code == 403
    assert not [h for h in refused.headers if h[0].lower().startswith("access-control-")]
    assert _counters(app, "ip:127.0.0.1") == [2]


def test_corrections_come_from_the_view_in_the_visitors_language(site):
    _remembered(site)
    answer = site.send({"email": "not an address", "body": ""}, query="?language=ru")
    assert answer.status_code == 422
    fields = answer.get_json()["error"]["fields"]
    assert set(fields) == {"email", "body"}
    assert "адрес" in fields["email"]  # Russian, from the view: the body reached it intact


def test_the_honeypot_and_other_queries_go_to_the_view(app, site):
    _remembered(site)
    assert site.send({"website": "http://spam.example"}).get_json()["number"] is None
    answer = site.send(query="?language=en&utm_source=mail")
    assert answer.status_code == 201 and answer.get_json()["number"]
    nul = site.send(query="?language=e%00n")
    assert nul.status_code == 400


def test_an_error_before_storing_hands_the_request_over_and_loses_nothing(
        app, site, monkeypatch, caplog):
    _remembered(site)

    def broken(raw):
        raise RuntimeError("parser broke")

    monkeypatch.setattr(parsing, "urlencoded_form", broken)
    with caplog.at_level(logging.ERROR, logger="app.widget.direct"):
        answer = site.send({"subject": "Still here"})
    assert answer.status_code == 201  # the view read the form itself
    assert "handed to the view" in caplog.text
    complete_requests(app)
    found = site.api.get("/tickets?q=still").get_json()["items"]
    assert [t["subject"] for t in found] == ["Still here"]
    assert _counters(app, "ip:127.0.0.1") == [2]


def test_the_request_is_logged_and_counted_under_its_id(app, site, caplog):
    _remembered(site)
    labels = {"endpoint": "widget.tickets", "method": "POST", "status": "201"}
    before = REGISTRY.get_sample_value("helpdesk_http_requests_total", labels) or 0
    with caplog.at_level(logging.INFO, logger="app.requests"):
        answer = site.send(headers={"X-Request-ID": "visit-42"})
    assert answer.headers["X-Request-ID"] == "visit-42"
    assert REGISTRY.get_sample_value("helpdesk_http_requests_total", labels) == before + 1
    [line] = [r for r in caplog.records
              if r.name == "app.requests" and r.request_id == "visit-42"]
    assert (line.endpoint, line.status) == ("widget.tickets", 201)
    assert line.tenant == tenant_keys.known(site.key)


@pytest.fixture
def committed(app, signup):
    """A committed company whose widget allows the shop and whose key this process knows:
    (its site, its id); removed with all it owns after."""
    api, body = signup()
    with app.app_context(), context.platform_connection(), context.platform_scope():
        tenant_id = db.session.scalar(select(Tenant.id).where(
            Tenant.slug == body["tenant"]["slug"]))
        db.session.commit()
    site = Site(api).allow()
    _remember(app, site.key)
    yield site, tenant_id
    remove_tenant(app, tenant_id)  # again, for a test that removed it itself: nothing left


@pytest.mark.real_commits
def test_on_a_server_it_commits_by_itself_and_a_deleted_company_is_404(app, committed,
                                                                       no_view):
    site, tenant_id = committed
    assert site.send().status_code == 201  # its own connection, committed as it answered
    with app.app_context(), context.platform_connection(), context.platform_scope():
        stored = db.session.scalar(select(func.count()).select_from(WidgetRequest)
                                   .where(WidgetRequest.tenant_id == tenant_id))
        db.session.remove()
    assert stored == 1
    remove_tenant(app, tenant_id)
    gone = site.send()  # nothing is stored for a company that is gone; its key is forgotten
    assert gone.status_code == 404 and gone.get_json()["error"]["code"] == "not_found"
    assert tenant_keys.known(site.key) is None


@pytest.mark.real_commits
def test_on_a_server_it_makes_no_session(app, committed, no_view, monkeypatch):
    """Its one statement runs on the thread's own connection and nothing else reads the
    database: no ORM session is made (making and closing one cost a tenth of the request)."""
    site, _tenant_id = committed
    assert site.send().status_code == 201  # the settings are cached now
    made = []
    real = TenantSession.__init__
    monkeypatch.setattr(TenantSession, "__init__",
                        lambda self, *a, **kw: made.append(1) or real(self, *a, **kw))
    assert [site.send().status_code for _ in range(3)] == [201] * 3
    assert made == []


def test_the_widgets_answers_never_read_or_set_a_cookie(site):
    for answer in (site.get("/config?lang=ru"), site.send(query="?language=en&lang=ru"),
                   site.client.options(f"/widget/{site.key}/tickets", headers=site.headers())):
        assert answer.status_code in (200, 201, 204), answer.get_data(as_text=True)
        assert "Set-Cookie" not in answer.headers
        assert "Cookie" not in answer.headers.get("Vary", "")


def test_a_nul_character_in_the_form_is_refused_by_the_view_without_an_error(site, caplog):
    _remembered(site)
    with caplog.at_level(logging.ERROR, logger="app.widget.direct"):
        answer = site.send({"subject": "Hello\x00there"})
    assert answer.status_code == 400
    assert "NUL" in answer.get_json()["error"]["message"]
    assert "handed to the view" not in caplog.text


@pytest.mark.real_commits
def test_connections_the_database_dropped_are_not_reused(app, committed):
    """After the server drops the app's connections (a restart), each failing request
    discards the dead connection it met, so requests succeed again within a pool's worth."""
    site, _tenant_id = committed
    assert [site.send().status_code for _ in range(3)] == [201] * 3
    # Terminating another role's backends takes the test server's superuser.
    url = make_url(app.config["MIGRATION_DATABASE_URI"]).set(username="postgres",
                                                              password=None)
    owner = create_engine(url, poolclass=NullPool)
    with owner.begin() as conn:
        dropped = conn.execute(text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE usename = 'helpdesk' AND datname = current_database()")).scalar()
    owner.dispose()
    assert dropped >= 1
    outcomes = []
    for _ in range(16):
        try:
            outcomes.append(site.send().status_code)
        except Exception:  # noqa: BLE001 - a request that met a dead connection
            outcomes.append("error")
    first = outcomes.index(201)
    assert first <= 12 and set(outcomes[first:]) == {201}, outcomes


def test_an_address_that_is_not_utf8_is_read_not_refused(app, site, no_view):
    _remember(app, site.key)
    answer = site.client.post(
        f"/widget/{site.key}/tickets", environ_overrides={"QUERY_STRING": "language=\xff"},
        data="email=c%40client.example&subject=Hi&body=Hello",
        content_type="application/x-www-form-urlencoded", headers=site.headers())
    assert answer.status_code == 201  # the language is unknown: the widget's or browser's


def test_no_page_fails_on_an_address_that_is_not_utf8(client, site):
    for path in ("/healthz", f"/widget/{site.key}/config", "/api/v1/tickets", "/nowhere"):
        answer = client.get(path, environ_overrides={"QUERY_STRING": "q=\xff\xfe&lang=ru"})
        assert answer.status_code < 500, (path, answer.status_code)


@pytest.fixture
def asks(app, monkeypatch):
    """The drains the direct intake asks for (recorded, not queued); a drain lingers 0.25 s."""
    monkeypatch.setitem(app.config, "WIDGET_DRAIN_LINGER_SECONDS", 0.25)
    asked = []
    monkeypatch.setattr(lean, "ask_for_drain", lambda flag, job: asked.append(flag))
    return asked


@pytest.mark.real_commits
def test_a_request_that_saw_a_drain_coming_leaves_its_row_to_it(app, committed, no_view, asks,
                                                                monkeypatch):
    site, _tenant_id = committed
    redis = app.extensions["redis"]
    redis.delete(registration.DRAIN_COMING)
    assert site.send().status_code == 201
    assert asks == [registration.DRAIN_COMING]  # none coming: it asks
    redis.set(registration.DRAIN_COMING, 1)
    assert site.send().status_code == 201
    assert len(asks) == 1  # one coming, and the request was quick: that drain takes it
    real = dedicated.fetch_one

    def slow(*args):
        time.sleep(0.15)  # longer than half the linger between its look and its commit
        return real(*args)

    monkeypatch.setattr(dedicated, "fetch_one", slow)
    assert site.send().status_code == 201
    assert len(asks) == 2  # the drain may have looked for the last time already: it asks
    monkeypatch.setattr(dedicated, "fetch_one", real)
    monkeypatch.setitem(app.config, "WIDGET_DRAIN_LINGER_SECONDS", 0)
    assert site.send().status_code == 201
    assert len(asks) == 3  # drains do not linger: every request asks


def test_a_drain_looks_again_for_the_requests_still_committing(app, site, monkeypatch):
    """A request stored while the drain lingers is made a ticket by that drain."""
    monkeypatch.setitem(app.config, "WIDGET_DRAIN_LINGER_SECONDS", 0.25)
    assert site.post({"subject": "First"}).status_code == 201
    pauses = []

    def pause(seconds):
        pauses.append(seconds)
        if len(pauses) == 1:  # a request that saw the flag before the drain started
            assert site.post({"subject": "Second"}).status_code == 201

    monkeypatch.setattr(registration.time, "sleep", pause)
    with app.app_context():
        queue = Queue("default", connection=app.extensions["redis"])
        queue.empty()
        assert registration.register_waiting_job() == 2
        db.session.commit()
        db.session.remove()
    assert 0 < max(pauses) <= 0.025 + 1e-9 and len(pauses) >= 2
    subjects = {item["subject"] for item in site.api.get("/tickets").get_json()["items"]}
    assert subjects == {"First", "Second"}
