"""Commands sent to Redis in one round trip on a pooled connection, for the few hot paths
where a pipeline's bookkeeping costs more than the trip (the widget's intake: its rate
limits with the settings' versions, and the ask for a drain).

What redis-py's pipeline adds around the same bytes on the wire — a command stack, a retry
wrapper, response callbacks — is about as much CPU as the round trip itself; here the
commands are packed once, sent, and their replies read in order. Replies come as the server
sends them (integers, bytes, lists, None), without redis-py's conversions. An error reply is
raised after every reply has been read (the connection stays usable); a broken connection
is discarded and the commands sent once more on a fresh one, as redis-py's own retry does.
"""
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from app.jobs import redis_connection


def round_trip(*commands: tuple, client: Redis | None = None) -> list:
    """The replies to ``commands`` (each a tuple: the command's name and its arguments),
    sent together on one connection of ``client``'s pool (default: the app's)."""
    pool = (client or redis_connection()).connection_pool
    try:
        return _send(pool, commands)
    except (RedisConnectionError, RedisTimeoutError):
        return _send(pool, commands)  # once more, on a fresh connection


def _send(pool, commands: tuple) -> list:
    connection = pool.get_connection()
    try:
        connection.send_packed_command(connection.pack_commands(commands))
        replies = []
        for _ in commands:
            try:
                replies.append(connection.read_response())
            except ResponseError as error:  # read the rest: the connection stays in step
                replies.append(error)
    except BaseException:
        connection.disconnect()  # replies may be left unread: never reused as it is
        raise
    finally:
        pool.release(connection)
    for reply in replies:
        if isinstance(reply, ResponseError):
            raise reply
    return replies
