"""What every request pays for besides its view: the rate limiter's hooks do nothing where no
limit applies (and still limit where one does, also with default, application or blueprint
limits), the session cookie's serializer is made once, and the unit of work does not begin
and commit a transaction for a request that never used the database."""
import pytest
from flask import Blueprint, Flask
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app import unit_of_work
from app.config import TestConfig
from app.extensions import CookieSessionInterface, ViewLimiter, db, limiter
from tenants import context
from tests.conftest import STRONG_PASSWORD

STORAGE_CALLS = ("incr", "get", "get_expiry", "check", "clear", "reset", "acquire_entry",
                 "get_moving_window", "acquire_sliding_window_entry", "get_sliding_window")


@pytest.fixture
def limiter_work(app, monkeypatch):
    """Everything the rate limiter asks its storage (Redis), and each time it works out the
    limits of a request."""
    calls = []

    def counted(name, method):
        def call(*args, **kwargs):
            calls.append(name)
            return method(*args, **kwargs)
        return call

    storage = limiter.storage
    for name in STORAGE_CALLS:
        if hasattr(storage, name):
            monkeypatch.setattr(storage, name, counted(name, getattr(storage, name)))
    manager = limiter.limit_manager
    monkeypatch.setattr(manager, "resolve_limits",
                        counted("resolve_limits", manager.resolve_limits))
    return calls


def test_an_unlimited_request_costs_the_limiter_nothing(client, tenant_a, limiter_work):
    answers = [client.get("/"), client.get("/no-such-page"), tenant_a.get("/departments"),
               client.get("/static/js/confirm.js")]
    assert [a.status_code for a in answers] == [200, 404, 200, 200]
    assert limiter_work == []
    assert not any(name.startswith("X-RateLimit") for a in answers for name, _ in a.headers)


def test_a_limited_route_still_answers_429_with_retry_after(app, client, limiter_work,
                                                           monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "2 per minute")
    form = {"email": "nobody@nowhere.example", "password": STRONG_PASSWORD}
    first = client.post("/t/no-such-company/login", data=form)
    assert first.headers["X-RateLimit-Limit"] == "2"
    client.post("/t/no-such-company/login", data=form)
    limited = client.post("/t/no-such-company/login", data=form)
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    assert "incr" in limiter_work or "acquire_entry" in limiter_work  # counted in Redis


def _bare_app(**limits) -> tuple[Flask, ViewLimiter]:
    """A small app with its own limiter (in memory) and the given application/default
    limits: the limiter's shortcut must not skip them."""
    app = Flask(__name__)
    app.config.update(RATELIMIT_STORAGE_URI="memory://")
    own = ViewLimiter(key_func=lambda: "one-client", headers_enabled=True, **limits)
    framed = Blueprint("framed", __name__)
    own.limit("2 per minute")(framed)

    @framed.get("/framed/")
    def in_blueprint():
        return "b"

    @app.get("/plain")
    def plain():
        return "p"

    @app.get("/decorated")
    @own.limit("1 per minute")
    def decorated():
        return "d"

    @app.get("/exempt")
    @own.exempt
    def exempt():
        return "e"

    app.register_blueprint(framed)
    own.init_app(app)
    return app, own


def _codes(client, url: str, times: int) -> list[int]:
    return [client.get(url).status_code for _ in range(times)]


def test_default_application_and_blueprint_limits_still_apply():
    app, _ = _bare_app()
    client = app.test_client()
    assert _codes(client, "/plain", 5) == [200] * 5
    assert _codes(client, "/decorated", 2) == [200, 429]
    assert _codes(client, "/framed/", 3) == [200, 200, 429]  # a blueprint's limit

    client = _bare_app(default_limits=["3 per minute"])[0].test_client()
    assert _codes(client, "/plain", 4) == [200, 200, 200, 429]
    limited = client.get("/plain")
    assert limited.headers["Retry-After"] and limited.headers["X-RateLimit-Limit"] == "3"
    assert _codes(client, "/exempt", 4) == [200] * 4

    client = _bare_app(application_limits=["4 per minute"])[0].test_client()
    assert _codes(client, "/plain", 2) + _codes(client, "/exempt", 3) == [200] * 5
    assert _codes(client, "/plain", 3) == [200, 200, 429]


def test_the_session_serializer_is_made_once_per_secret_key(app, client, signup, monkeypatch):
    interface = app.session_interface
    assert isinstance(interface, CookieSessionInterface)
    first = interface.get_signing_serializer(app)
    assert interface.get_signing_serializer(app) is first
    _, body = signup()
    slug = body["tenant"]["slug"]
    login = client.post(f"/t/{slug}/login", data={"email": f"admin@{slug}.example",
                                                   "password": STRONG_PASSWORD})
    assert login.status_code == 302 and client.get("/app/").status_code == 200
    assert interface.get_signing_serializer(app) is first
    # A new key (or fallback) gets a serializer of its own: the old cookie no longer opens.
    monkeypatch.setitem(app.config, "SECRET_KEY", "another-secret")
    assert interface.get_signing_serializer(app) is not first
    assert client.get("/app/").status_code == 302
    monkeypatch.setitem(app.config, "SECRET_KEY_FALLBACKS", ["test-secret"])
    assert client.get("/app/").status_code == 200  # signed with the previous key


@pytest.fixture
def transactions():
    """The session transactions begun and committed while the test runs (any session)."""
    seen = []

    def began(session, transaction):
        if transaction.parent is None:  # not a savepoint
            seen.append("begin")

    def committed(session):
        seen.append("commit")

    event.listen(Session, "after_transaction_create", began)
    event.listen(Session, "after_commit", committed)
    try:
        yield seen
    finally:
        event.remove(Session, "after_transaction_create", began)
        event.remove(Session, "after_commit", committed)


def _app_with_views() -> tuple[Flask, list]:
    """A small app on the test database whose views the unit of work wraps; and the list
    its after-commit callback writes to."""
    app = Flask(__name__)
    app.config.update(TestConfig())
    db.init_app(app)
    ran = []

    @app.get("/idle")
    def idle():
        return "nothing with the database"

    @app.get("/later")
    def later():
        unit_of_work.after_commit(lambda: ran.append("after commit"))
        return "a side effect for after the commit, no statement"

    @app.get("/reads")
    def reads():
        return str(db.session.execute(select(1)).scalar())

    unit_of_work.init_app(app)
    return app, ran


def test_a_request_without_the_database_begins_and_commits_nothing(client, transactions,
                                                                   monkeypatch):
    commits = []
    real = unit_of_work.commit
    monkeypatch.setattr(unit_of_work, "commit", lambda: (commits.append(1), real()))
    app, _ = _app_with_views()
    assert app.test_client().get("/idle").status_code == 200
    assert client.get("/static/js/confirm.js").status_code == 200
    assert len(commits) == 2 and transactions == []  # the unit of work ran, and had nothing


def test_an_after_commit_callback_without_a_statement_still_runs(transactions):
    app, ran = _app_with_views()
    assert app.test_client().get("/later").status_code == 200
    assert ran == ["after commit"] and transactions == ["begin", "commit"]


def test_a_request_that_used_the_database_commits(transactions):
    app, _ = _app_with_views()
    assert app.test_client().get("/reads").get_data(as_text=True) == "1"
    assert transactions == ["begin", "commit"]


def test_entering_a_tenant_makes_no_session_until_one_is_needed(app):
    with app.app_context():
        with context.tenant_scope(1):
            assert not db.session.registry.has()  # nothing to flush, forget or re-apply
        assert not db.session.registry.has()
