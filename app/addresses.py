"""E-mail addresses as the product keeps them: checked by email-validator's rules (no
deliverability lookup) and lower-cased — one rule for staff, requesters and stop lists.

Most addresses are plain ASCII (``name.surname+tag@mail.example.com``); for them the answer
is known without email-validator's Unicode and IDNA machinery, which costs as much as the
rest of a widget request's checks. ``_plain`` recognises only addresses whose verdict is
certain — dot-atom local part of at most 64 characters, LDH labels without a hyphen at
either end or in the third and fourth places, an alphabetic top-level domain, not a
special-use domain — and anything else goes to email-validator. tests/test_addresses.py
checks both give the same answer over generated addresses.
"""
import re

from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email

MAX_ADDRESS = 254
MAX_LOCAL = 64
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_PLAIN = re.compile(rf"(?P<local>{_ATOM}(?:\.{_ATOM})*)"
                    rf"@(?P<domain>(?:{_LABEL}\.)+[A-Za-z]{{2,63}})")
_SPECIAL = tuple(SPECIAL_USE_DOMAIN_NAMES)


class InvalidAddress(ValueError):
    """Not an e-mail address the product accepts."""


def _plain(text: str) -> str | None:
    """``text`` lower-cased when it is certainly valid by email-validator's rules; None when
    email-validator must decide."""
    if len(text) > MAX_ADDRESS:
        return None
    match = _PLAIN.fullmatch(text)
    if match is None or len(match["local"]) > MAX_LOCAL:
        return None
    domain = match["domain"].lower()
    if any(label[2:4] == "--" for label in domain.split(".")):
        return None  # IDNA's rules for such labels: email-validator decides
    if any(domain == name or domain.endswith("." + name) for name in _SPECIAL):
        return None
    return text.lower()


def normalized(raw: str) -> str:
    """The address as kept (lower case), or InvalidAddress."""
    text = str(raw)
    plain = _plain(text)
    if plain is not None:
        return plain
    try:
        return validate_email(text, check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise InvalidAddress(str(error)) from None
