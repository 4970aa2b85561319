"""Each thread's own autocommit connection for one-statement units of work
(``app.dedicated``): kept and reused, committed as it answers, pinged when idle, replaced when
the server dropped it, made afresh in a forked process, closed with its engine."""
import threading

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool

from app import create_app, dedicated
from app.config import TestConfig
from app.extensions import db

pytestmark = pytest.mark.real_commits
PID = "SELECT pg_backend_pid(), txid_current()"


@pytest.fixture
def engine(app):
    """An engine of its own app with a real pool (the suite's ``app`` shares one connection
    per test), on the same database."""
    own = create_app(TestConfig())
    with own.app_context():
        engine = db.engine
    yield engine
    engine.dispose()


def _terminate(engine, pid: int) -> None:
    # Terminating another role's backend takes a superuser (the test server's, trust auth).
    url = make_url(engine.url).set(username="postgres", password=None)
    owner = create_engine(url, poolclass=NullPool)
    with owner.connect() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
    owner.dispose()


def test_one_connection_is_kept_and_each_statement_commits_alone(engine):
    checked_out = engine.pool.checkedout()
    first, one = dedicated.fetch_one(engine, PID, {})
    second, two = dedicated.fetch_one(engine, PID, {})
    assert first == second  # the same connection …
    assert two != one  # … each statement its own transaction, committed as it answers
    assert engine.pool.checkedout() == checked_out  # detached: the pool is not held


def test_each_thread_has_its_own(engine):
    mine = dedicated.fetch_one(engine, PID, {})[0]
    theirs = []
    thread = threading.Thread(target=lambda: theirs.append(
        dedicated.fetch_one(engine, PID, {})[0]))
    thread.start()
    thread.join()
    assert theirs and theirs[0] != mine


def test_an_idle_connection_the_server_dropped_is_replaced_before_use(engine, monkeypatch):
    first = dedicated.fetch_one(engine, PID, {})[0]
    _terminate(engine, first)
    monkeypatch.setattr(dedicated, "PING_AFTER_IDLE_S", 0.0)  # "idle long enough"
    assert dedicated.fetch_one(engine, PID, {})[0] != first  # no error: pinged, replaced


def test_a_connection_dropped_under_a_statement_is_never_used_again(engine):
    first = dedicated.fetch_one(engine, PID, {})[0]
    _terminate(engine, first)  # used a moment ago: not pinged, so the statement meets it dead
    with pytest.raises(Exception):  # noqa: B017 - the driver's error for a dead connection
        dedicated.fetch_one(engine, PID, {})
    assert dedicated.fetch_one(engine, PID, {})[0] != first


def test_a_forked_process_makes_its_own(engine, monkeypatch):
    parent = dedicated.fetch_one(engine, PID, {})[0]
    real = dedicated.os.getpid()
    monkeypatch.setattr(dedicated.os, "getpid", lambda: real + 1)
    assert dedicated.fetch_one(engine, PID, {})[0] != parent


def test_disposing_of_the_engine_closes_them(engine):
    dedicated.fetch_one(engine, PID, {})
    driver = dedicated._local.kept[engine].driver
    engine.dispose()
    assert driver.closed
    assert dedicated.fetch_one(engine, PID, {})  # and a new one is made when needed


def test_a_forked_process_disposing_of_the_engine_leaves_its_parents_alone(engine,
                                                                         monkeypatch):
    dedicated.fetch_one(engine, PID, {})
    parents = dedicated._local.kept[engine].driver
    real = dedicated.os.getpid()
    monkeypatch.setattr(dedicated.os, "getpid", lambda: real + 1)
    engine.dispose()  # as a forked worker may do first thing
    assert not parents.closed  # the parent's connection: still the parent's
    monkeypatch.setattr(dedicated.os, "getpid", lambda: real)
    parents.close()
