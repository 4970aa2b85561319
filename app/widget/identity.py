"""Identity verification: the tenant's website vouches for a signed-in customer's address.

The site computes, on its server, ``HMAC-SHA256(widget secret, address in lower case)`` as
hex and hands it to the widget with the address (``data-email`` and ``data-email-hash``, or
``HelpdeskWidget.identify({email, hash})``). A request whose address carries a matching hash
is marked verified; one without, or with a wrong hash, is still registered — unverified.
"""
import hashlib
import hmac


def signature(secret: str, email: str) -> str:
    """What the tenant's server computes for ``email``."""
    return hmac.new(secret.encode(), (email or "").strip().lower().encode(),
                    hashlib.sha256).hexdigest()


def is_verified(secret: str | None, email: str, given: str | None) -> bool:
    """Whether ``given`` is the signature of ``email`` under ``secret`` (constant time)."""
    if not secret or not given or not email:
        return False
    return hmac.compare_digest(signature(secret, email), given.strip().lower())
