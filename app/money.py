"""Money: integer minor units in storage, decimal strings in the API, localized in pages.

Shared by billing, the pages' ``|money`` filter and every API that shows an amount, so it
sits in the shared core rather than in billing."""
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency, get_currency_symbol

MINOR = 100
NBSP = "\u00a0"


class MoneyError(ValueError):
    pass


def to_decimal_string(minor: int) -> str:
    """``20000`` → ``"200.00"``."""
    sign = "-" if minor < 0 else ""
    whole, cents = divmod(abs(minor), MINOR)
    return f"{sign}{whole}.{cents:02d}"


def parse_amount(raw) -> int:
    """``"200.00"`` / ``200`` → minor units; rejects non-numbers and fractions of a cent."""
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError) as exc:
        raise MoneyError("not a number") from exc
    if not value.is_finite():
        raise MoneyError("not a number")
    minor = value * MINOR
    if minor != minor.to_integral_value():
        raise MoneyError("at most two decimal places")
    return int(minor)


def _is_letter_like(char: str) -> bool:
    return unicodedata.category(char)[0] not in "SZ"


def format_money(minor: int, currency: str, locale: str) -> str:
    """Localized amount with the currency symbol: ``200,00 ₽`` in Russian, ``RUB 200.00``
    in English (the spaces are no-break spaces)."""
    text = format_currency(Decimal(minor) / MINOR, currency, locale=locale)
    # CLDR's currencySpacing rule, which Babel does not apply: a symbol made of letters
    # ("RUB", "KZT") is kept apart from the digits; "$200.00" and "200,00 ₽" stay as they are.
    symbol = get_currency_symbol(currency, locale=locale)
    if symbol and _is_letter_like(symbol[-1]):
        text = re.sub(re.escape(symbol) + r"(?=\d)", symbol + NBSP, text)
    if symbol and _is_letter_like(symbol[0]):
        text = re.sub(r"(?<=\d)" + re.escape(symbol), NBSP + symbol, text)
    return text
