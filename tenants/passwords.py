"""Password hashing (Argon2id) and the strength rules for new passwords."""
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context
from flask_babel import gettext as _
from flask_babel import ngettext

MIN_LENGTH = 10
# Stored for invited staff until they choose a password; no password verifies against it.
UNUSABLE_PASSWORD = "!"


@lru_cache(maxsize=4)
def _hasher_for(params: tuple) -> PasswordHasher:
    """An Argon2id hasher (argon2-cffi's default type) with ``PASSWORD_HASH_PARAMS``:
    argon2-cffi's strong defaults in production, cheap ones in the test suite."""
    return PasswordHasher(**dict(params))


def _hasher() -> PasswordHasher:
    params = current_app.config.get("PASSWORD_HASH_PARAMS") if has_app_context() else None
    return _hasher_for(tuple(sorted((params or {}).items())))


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Check a password; a hash made with other parameters still verifies (they are in it)."""
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def dummy_hash() -> str:
    """A valid hash to verify against when the account does not exist, so that the time taken
    does not reveal which e-mail addresses are staff. Made on first use, not at import."""
    return _dummy_hash_for(_hasher())


@lru_cache(maxsize=4)
def _dummy_hash_for(hasher: PasswordHasher) -> str:
    return hasher.hash("not-a-real-password-0000")


@lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    path = Path(__file__).with_name("common_passwords.txt")
    return frozenset(line.strip().lower() for line in path.read_text().splitlines() if line.strip())


def password_problem(password: str, *, personal: tuple[str, ...] = ()) -> str | None:
    """Why ``password`` is not acceptable, or None."""
    if len(password) < MIN_LENGTH:
        return ngettext("Use at least %(num)d character.", "Use at least %(num)d characters.",
                        MIN_LENGTH)
    lowered = password.lower()
    if lowered in _common() or len(set(lowered)) <= 2:
        return _("This password is too common; choose another.")
    digits = "01234567890"
    if lowered in digits or lowered in digits[::-1] or lowered in "abcdefghijklmnopqrstuvwxyz":
        return _("This password is too common; choose another.")
    for word in personal:
        if word and len(word) >= 4 and word.lower() in lowered:
            return _("The password must not contain your name, e-mail or company address.")
    return None
