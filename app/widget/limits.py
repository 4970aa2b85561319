"""The rate limits of requests sent through the widget: per visitor's address
(``WIDGET_RATE_LIMIT``) and per widget key, all of a site's visitors together
(``WIDGET_KEY_RATE_LIMIT``), both in the limiter's notation ("20 per minute").

Fixed windows counted in Redis, every counter of both limits in one round trip
(``app.jobs.wire``; the limiter extension would make one per limit, and another for its
headers). Over a
limit is a 429 whose ``Retry-After`` says when the window ends. Redis out of reach lets the
request through: a visitor's request is worth more than a counter.
"""
import logging
import math
import time
from dataclasses import dataclass
from functools import lru_cache

from flask import current_app, request
from limits import parse_many
from redis.exceptions import RedisError

from app.errors import RateLimited
from app.jobs.wire import round_trip

log = logging.getLogger(__name__)
PREFIX = "widget-limit"
# The WSGI environ key of a request counted before Flask saw it (``app.widget.direct``).
COUNTED = "helpdesk.widget_counted"


@lru_cache(maxsize=64)
def _windows(text: str) -> tuple[tuple[int, int], ...]:
    """(amount, seconds) of each limit in ``text``."""
    return tuple((item.amount, item.get_expiry()) for item in parse_many(text))


@dataclass(frozen=True)
class Counted:
    """A request counted: ``retry_after`` (seconds) when it is over a limit, the values
    of the keys read in the same round trip (None: Redis did not answer), and
    ``time.monotonic()`` taken before the trip (None: no trip was made)."""

    retry_after: int | None = None
    read: tuple | None = None
    looked_at: float | None = None


def count_intake(widget_key: str, *, address: str | None = None,
                 read: tuple[str, ...] = ()) -> Counted:
    """Count this request against both limits, and read the Redis keys ``read`` in the same
    round trip (the request's other Redis reads: one trip for all). ``address``: the
    visitor's (default: the current request's)."""
    config = current_app.config
    enabled = config.get("RATELIMIT_ENABLED", True)
    if not enabled and not read:
        return Counted()
    now = time.time()
    counted, commands = [], []
    if enabled:
        if address is None:
            address = request.remote_addr
        for who, setting in ((f"ip:{address}", "WIDGET_RATE_LIMIT"),
                             (f"key:{widget_key}", "WIDGET_KEY_RATE_LIMIT")):
            for amount, seconds in _windows(config[setting]):
                name = f"{PREFIX}:{who}:{amount}/{seconds}:{int(now // seconds)}"
                commands += [("INCR", name), ("EXPIRE", name, seconds + 1)]
                counted.append((amount, seconds))
    if read:
        commands.append(("MGET", *read))
    looked_at = time.monotonic()
    try:
        replies = round_trip(*commands)
    except RedisError:
        log.warning("widget rate limits unavailable; request let through", exc_info=True)
        return Counted()
    values = tuple(replies.pop()) if read else ()
    waits = [seconds - now % seconds for (amount, seconds), count
             in zip(counted, replies[::2], strict=True) if count > amount]
    retry_after = max(1, math.ceil(max(waits))) if waits else None
    return Counted(retry_after, values, looked_at)


def refuse_over(counted: Counted) -> None:
    """Raise RateLimited when ``counted`` went over a limit."""
    if counted.retry_after:
        raise RateLimited(retry_after=counted.retry_after)

