"""Commands in one round trip on the thread's own connection (``app.jobs.wire``): replies
in order as the server sends them, an error reply raised once the others are read, a
dropped connection replaced, one connection per thread and per process."""
import threading

import pytest
from redis import Connection, ConnectionPool, Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError

from app.jobs import wire
from app.jobs.wire import round_trip


@pytest.fixture
def redis(app):
    return app.extensions["redis"]


def test_replies_come_in_order_as_the_server_sends_them(redis):
    replies = round_trip(("SET", "wire:a", 1), ("INCR", "wire:a"), ("EXPIRE", "wire:a", 60),
                         ("MGET", "wire:a", "wire:none"), ("SET", "wire:a", 5, "NX"),
                         client=redis)
    assert replies == [b"OK", 2, 1, [b"2", None], None]


def test_an_error_reply_is_raised_after_the_rest_is_read(redis):
    with pytest.raises(ResponseError):
        round_trip(("SET", "wire:s", "text"), ("INCR", "wire:s"), ("SET", "wire:after", 1),
                   client=redis)
    assert redis.get("wire:after") == b"1"  # the command after the error ran too …
    assert round_trip(("GET", "wire:s"), client=redis) == [b"text"]  # … and the pool is fine


def test_a_dropped_connection_is_replaced_and_the_commands_sent_again(redis):
    round_trip(("SET", "wire:k", 1), client=redis)  # a pooled connection now exists
    other = Redis(connection_pool=ConnectionPool(**redis.connection_pool.connection_kwargs))
    assert other.client_kill_filter(_type="normal", skipme=True) >= 1  # the server drops it
    other.close()
    assert round_trip(("INCR", "wire:k"), client=redis) == [2]


def test_a_trip_that_fails_midway_is_sent_again_on_a_fresh_connection(redis, monkeypatch):
    sent = []
    original = Connection.send_packed_command

    def failing_once(connection, command, check_health=True):
        if b"wire:r" in b"".join(command):  # ours, not a new connection's own handshake
            sent.append(connection)
            if len(sent) == 1:
                raise RedisConnectionError("Connection reset by peer")
        return original(connection, command, check_health)

    monkeypatch.setattr(Connection, "send_packed_command", failing_once)
    assert round_trip(("SET", "wire:r", 1), ("GET", "wire:r"), client=redis) == [b"OK", b"1"]
    assert len(sent) == 2


def test_the_apps_connection_by_default(app, redis):
    with app.app_context():
        assert round_trip(("SET", "wire:d", "x"), ("GET", "wire:d")) == [b"OK", b"x"]


def _client_id(redis) -> int:
    return round_trip(("CLIENT", "ID"), client=redis)[0]


def test_each_thread_keeps_its_own_connection(redis):
    mine = _client_id(redis)
    assert _client_id(redis) == mine  # kept, not taken from the pool and given back
    theirs = []
    thread = threading.Thread(target=lambda: theirs.append(_client_id(redis)))
    thread.start()
    thread.join()
    assert theirs and theirs[0] != mine


def test_a_forked_process_makes_its_own(redis, monkeypatch):
    parent = _client_id(redis)
    real = wire.os.getpid()
    monkeypatch.setattr(wire.os, "getpid", lambda: real + 1)
    assert _client_id(redis) != parent
