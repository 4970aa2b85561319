"""Known browsers: a long-lived signed cookie naming the staff members who logged in there.

A correct password sent with this cookie for its account is accepted even while the account
is throttled for the address (``app/auth/throttle.py``): a stranger's wrong guesses cannot
keep the owner out of their usual browser. Wrong passwords sent with the cookie are
throttled under the browser's own counter, so the cookie is no way around the throttle.
The cookie proves nothing by itself; the password is always checked.
"""
import secrets

from flask import after_this_request, current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "known_device"
MAX_AGE = 365 * 24 * 3600  # seconds
MAX_ACCOUNTS = 10


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="known-device")


def _account(staff) -> str:
    return f"{staff.tenant_id}:{staff.id}"


def _read(cookie: str | None) -> dict | None:
    if not cookie:
        return None
    try:
        data = _serializer().loads(cookie, max_age=MAX_AGE)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("n"), str) \
            or not isinstance(data.get("a"), list):
        return None
    return data


def device_for(cookie: str | None, staff) -> str | None:
    """The browser's id when ``cookie`` is a valid known-device cookie for ``staff``."""
    data = _read(cookie)
    if data is None or staff is None or _account(staff) not in data["a"]:
        return None
    return data["n"]


def remember_device(staff, cookie: str | None) -> None:
    """Add ``staff`` to this browser's known-device cookie (set on the response)."""
    data = _read(cookie) or {"n": secrets.token_urlsafe(16), "a": []}
    accounts = [a for a in data["a"] if a != _account(staff)] + [_account(staff)]
    value = _serializer().dumps({"n": data["n"], "a": accounts[-MAX_ACCOUNTS:]})

    @after_this_request
    def _set(response):
        response.set_cookie(COOKIE, value, max_age=MAX_AGE, httponly=True, samesite="Lax",
                            secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
        return response
