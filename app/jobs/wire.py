"""Commands sent to Redis in one round trip on a connection of the thread's own, for the few
hot paths where a pipeline's bookkeeping costs more than the trip (the widget's intake: its
rate limits with the settings' versions, and the ask for a drain).

What redis-py's pipeline adds around the same bytes on the wire — a command stack, a retry
wrapper, response callbacks — is about as much CPU as the round trip itself; here the
commands are packed once, sent, and their replies read in order. Replies come as the server
sends them (integers, bytes, lists, None), without redis-py's conversions. An error reply is
raised after every reply has been read (the connection stays usable); a broken connection
is discarded and the commands sent once more on a fresh one, as redis-py's own retry does.
Each thread keeps one connection per pool, made with the pool's settings but outside it:
taking a connection from redis-py's pool and giving it back (locks, a process check, its
metrics) costs about as much as the trip. A process forked with one makes its own.
"""
import os
import threading
import weakref

from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from app.jobs import redis_connection

_local = threading.local()


def round_trip(*commands: tuple, client: Redis | None = None) -> list:
    """The replies to ``commands`` (each a tuple: the command's name and its arguments),
    sent together on this thread's connection for ``client``'s pool (default: the app's)."""
    pool = (client or redis_connection()).connection_pool
    try:
        return _send(_connection(pool), commands)
    except (RedisConnectionError, RedisTimeoutError):
        return _send(_connection(pool), commands)  # once more, on a fresh connection


def _connection(pool):
    """This thread's connection with ``pool``'s settings (it connects when first used)."""
    mine = getattr(_local, "connections", None)
    if mine is None:
        mine = _local.connections = weakref.WeakKeyDictionary()
    held = mine.get(pool)
    if held is None or held[0] != os.getpid():
        held = mine[pool] = (os.getpid(), pool.connection_class(**pool.connection_kwargs))
    return held[1]


def _send(connection, commands: tuple) -> list:
    try:
        connection.send_packed_command(connection.pack_commands(commands))
        replies = []
        for _ in commands:
            try:
                replies.append(connection.read_response())
            except ResponseError as error:  # read the rest: the connection stays in step
                replies.append(error)
    except BaseException:
        connection.disconnect()  # replies may be left unread: it connects afresh next time
        raise
    for reply in replies:
        if isinstance(reply, ResponseError):
            raise reply
    return replies
