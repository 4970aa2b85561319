"""A connection each thread keeps for itself, in autocommit, for a statement that is a whole
unit of work by itself and runs on every request of a busy public endpoint (the widget's
intake: one statement, committed as it answers).

A pooled connection costs such a request more than its statement's own client work: the
checkout with its events, the checkin with its reset, switching autocommit on and off. Here
each thread (a gunicorn worker has one) takes one connection from the engine's pool once,
detaches it (the pool's ``connect`` setup has run on it; it no longer counts against the
pool), switches it to autocommit and keeps it with a cursor of its own. As the pool does,
a connection idle for a while is pinged before use and replaced if dead; a connection the
server dropped during a statement is discarded, never used again; a process forked with one
leaves it to its parent; disposing of the engine closes them all.
"""
import os
import threading
import time
import weakref

from sqlalchemy import Engine, event

from app.extensions import PING_AFTER_IDLE_S

_local = threading.local()
# Every kept connection of an engine, from all threads: closed when the engine is disposed.
_kept: "weakref.WeakKeyDictionary[Engine, list[_Kept]]" = weakref.WeakKeyDictionary()
_lock = threading.Lock()


class _Kept:
    __slots__ = ("pid", "proxy", "driver", "cursor", "used_at")

    def __init__(self, engine: Engine):
        self.pid = os.getpid()
        self.proxy = engine.raw_connection()
        self.driver = self.proxy.driver_connection
        self.proxy.detach()
        self.driver.autocommit = True
        self.cursor = self.driver.cursor()
        self.used_at = time.monotonic()

    def close(self) -> None:
        try:
            self.proxy.close()
        except Exception:  # noqa: BLE001 - a dead connection is closed either way
            pass


def _close_all(engine: Engine) -> None:
    with _lock:
        kept = _kept.pop(engine, [])
    for each in kept:
        if each.pid == os.getpid():  # a parent's, inherited by a fork, is the parent's to close
            each.close()


def _forget(engine: Engine, kept: _Kept, *, close: bool) -> None:
    _local.kept.pop(engine, None)
    with _lock:
        others = _kept.get(engine, [])
        if kept in others:
            others.remove(kept)
    if close:
        kept.close()


def _connection(engine: Engine) -> _Kept:
    mine = getattr(_local, "kept", None)
    if mine is None:
        mine = _local.kept = weakref.WeakKeyDictionary()
    kept = mine.get(engine)
    if kept is not None and kept.pid != os.getpid():
        # Forked with it: the socket is the parent's. Dropped without a word to the server.
        mine.pop(engine, None)
        kept = None
    if kept is not None and (kept.driver.closed or (
            time.monotonic() - kept.used_at >= PING_AFTER_IDLE_S
            and not _alive(engine, kept))):
        _forget(engine, kept, close=True)
        kept = None
    if kept is None:
        kept = mine[engine] = _Kept(engine)
        with _lock:
            if engine not in _kept:
                event.listen(engine, "engine_disposed", _close_all)
            _kept.setdefault(engine, []).append(kept)
    return kept


def _alive(engine: Engine, kept: _Kept) -> bool:
    try:
        return bool(engine.dialect.do_ping(kept.driver))
    except Exception:  # noqa: BLE001 - any failure means a dead connection
        return False


def fetch_one(engine: Engine, statement: str, params: dict):
    """The first row of ``statement`` run with ``params`` on this thread's own connection
    to ``engine``, committed as it answers (a prepared statement on the server after a few
    runs). A connection the server dropped meanwhile is discarded and the error raised: the
    statement may or may not have run."""
    kept = _connection(engine)
    try:
        row = kept.cursor.execute(statement, params, prepare=True).fetchone()
    except Exception:
        if kept.driver.broken or kept.driver.closed:
            _forget(engine, kept, close=True)
        raise
    kept.used_at = time.monotonic()
    return row
