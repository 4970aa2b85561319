"""Pooled connections: pinged before use only after sitting idle, and a dead one is replaced
before a statement runs on it (``app.extensions.ping_idle_connections``)."""
import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool

from app import create_app, extensions
from app.config import TestConfig
from app.extensions import db

# The suite's fixture binds db.session to one shared connection; these tests need the pool.
pytestmark = pytest.mark.real_commits

@pytest.fixture
def pooled_app(app):
    """An app of its own with a real connection pool (the suite's ``app`` shares one
    connection per test), on the same database; migrations are the suite's."""
    own = create_app(TestConfig())
    yield own
    with own.app_context():
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture
def pings(pooled_app, monkeypatch):
    count = []
    with pooled_app.app_context():
        dialect = db.engine.dialect
    real = dialect.do_ping
    monkeypatch.setattr(dialect, "do_ping", lambda conn: count.append(1) or real(conn))
    return count


def _backend_pid(app) -> int:
    with app.app_context():
        pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
        db.session.rollback()
        db.session.remove()
    return pid


def test_a_connection_returned_a_moment_ago_is_used_without_a_ping(pooled_app, pings):
    first = _backend_pid(pooled_app)  # a new connection: pinged once, then returned
    pinged = len(pings)
    assert _backend_pid(pooled_app) == first
    assert len(pings) == pinged  # the same connection, straight back: no round trip


def test_an_idle_connection_is_pinged_and_a_dead_one_replaced(pooled_app, pings, monkeypatch):
    first = _backend_pid(pooled_app)
    # Terminating another role's backend takes a superuser (the test server's, trust auth).
    url = make_url(pooled_app.config["MIGRATION_DATABASE_URI"]).set(username="postgres",
                                                                     password=None)
    owner = create_engine(url, poolclass=NullPool)
    with owner.connect() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first}).scalar()
    owner.dispose()
    monkeypatch.setattr(extensions, "PING_AFTER_IDLE_S", 0.0)  # "idle long enough"
    pinged = len(pings)
    second = _backend_pid(pooled_app)  # no error: the ping found it dead, the pool replaced it
    assert second != first
    assert len(pings) > pinged
