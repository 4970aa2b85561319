"""Money: integer minor units in storage, decimal strings in the API, localized in pages."""
from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency

MINOR = 100


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


def format_money(minor: int, currency: str, locale: str) -> str:
    """Localized amount with the currency symbol, e.g. ``200,00 ₽`` in Russian."""
    return format_currency(Decimal(minor) / MINOR, currency, locale=locale)
