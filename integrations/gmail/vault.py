"""Refresh tokens at rest: encrypted with Fernet under ``ENCRYPTION_KEY``.

``ENCRYPTION_KEY`` holds one or more Fernet keys separated by commas, newest first: new
tokens are encrypted with the first, and any of them decrypts (MultiFernet). To rotate, put a
new key in front, run ``rotate`` over the stored tokens, then drop the old key.
"""
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app


class KeyMissing(RuntimeError):
    """``ENCRYPTION_KEY`` is not set or not a Fernet key."""


class Unreadable(ValueError):
    """A stored token none of the keys decrypts."""


def _keys() -> MultiFernet:
    raw = current_app.config.get("ENCRYPTION_KEY") or ""
    keys = [key.strip() for key in raw.split(",") if key.strip()]
    if not keys:
        raise KeyMissing("ENCRYPTION_KEY is not set")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as exc:
        raise KeyMissing("ENCRYPTION_KEY must be Fernet keys (32 url-safe base64 bytes)") from exc


def configured() -> bool:
    try:
        _keys()
    except KeyMissing:
        return False
    return True


def encrypt(secret: str) -> str:
    return _keys().encrypt(secret.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _keys().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise Unreadable("the stored token does not decrypt with ENCRYPTION_KEY") from exc


def rotate(token: str) -> str:
    """The same secret encrypted with the newest key."""
    try:
        return _keys().rotate(token.encode()).decode()
    except InvalidToken as exc:
        raise Unreadable("the stored token does not decrypt with ENCRYPTION_KEY") from exc
