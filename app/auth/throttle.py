"""Wrong passwords slow down the next try; they never lock an account.

A lockout per account lets anyone who knows an agent's e-mail keep the agent out. Here the
counter belongs to one account *and* one address (or one known browser, see
``app/auth/devices.py``): after a few free tries every further wrong password doubles the
wait before the next try from there (1 s, 2 s, 4 s … up to ``MAX_DELAY``). A stranger
slows down only their own tries; the owner, from their own address or browser, is not
held back. While a wait runs the password is not even checked, so guessing gains nothing.

Counters live in Redis and expire a day after the last wrong password.
"""
import hashlib
import math
import time

from flask import current_app

FREE_TRIES = 5
MAX_DELAY = 300  # seconds
FORGET_AFTER = 24 * 3600  # seconds


def _redis():
    return current_app.extensions["redis"]


def _hashed(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def address_key(tenant_id: int, email: str, address: str | None) -> str:
    """The counter of one account (by e-mail, known or not) tried from one address."""
    return f"login-throttle:{tenant_id}:{_hashed(email)}:addr:{address or '-'}"


def device_key(tenant_id: int, staff_id: int, device: str) -> str:
    """The counter of one account tried from one known browser."""
    return f"login-throttle:{tenant_id}:staff-{staff_id}:device:{_hashed(device)}"


def delay_after(failures: int) -> int:
    """Seconds to wait after ``failures`` wrong passwords in a row."""
    if failures <= FREE_TRIES:
        return 0
    return min(MAX_DELAY, 2 ** (failures - FREE_TRIES - 1))


def wait_seconds(key: str) -> int:
    """How long until the next try under ``key`` is allowed (0: now)."""
    until = _redis().hget(key, "until")
    if until is None:
        return 0
    return max(0, math.ceil(float(until) - time.time()))


def failed(key: str) -> int:
    """Count a wrong password under ``key``; returns the wait it imposes (seconds)."""
    redis = _redis()
    failures = redis.hincrby(key, "failures", 1)
    delay = delay_after(failures)
    with redis.pipeline() as pipe:
        if delay:
            pipe.hset(key, "until", time.time() + delay)
        pipe.expire(key, FORGET_AFTER)
        pipe.execute()
    return delay


def succeeded(key: str) -> None:
    _redis().delete(key)
