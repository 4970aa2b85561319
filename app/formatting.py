"""How pages show times, dates and money: one format per language, in the tenant's time zone.

Templates use ``|datetime``, ``|date`` and ``|money``; Python code that builds text for a
page (event sentences, flash messages) calls the same functions, so a date reads the same
wherever it appears.
"""
from datetime import date, datetime

from flask_babel import format_date, format_datetime, get_locale

from billing.money import format_money

# Fixed patterns rather than Babel's "short"/"medium": those differ between languages in
# order, year width and 12/24-hour clock, and pages used a mix of them.
DATETIME_PATTERNS = {"en": "d MMM yyyy, HH:mm", "ru": "dd.MM.yyyy HH:mm", "kk": "dd.MM.yyyy HH:mm"}
DATE_PATTERNS = {"en": "d MMM yyyy", "ru": "dd.MM.yyyy", "kk": "dd.MM.yyyy"}


def _language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "en"


def _parsed(value):
    """Event data keeps times as ISO strings; pages get them as datetime/date objects."""
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        except ValueError:
            return None
    return value


def local_datetime(value) -> str:
    """A moment in the tenant's time zone (Flask-Babel's time zone selector), e.g.
    ``05.01.2026 15:04`` in Russian. Naive values are UTC, as stored."""
    value = _parsed(value)
    if value is None:
        return ""
    if not isinstance(value, datetime):
        return local_date(value)
    language = _language()
    return format_datetime(value, DATETIME_PATTERNS.get(language, DATETIME_PATTERNS["en"]))


def local_date(value) -> str:
    """A calendar day, e.g. ``5 Jan 2026``; a moment is first moved to the tenant's zone."""
    value = _parsed(value)
    if value is None:
        return ""
    language = _language()
    return format_date(value, DATE_PATTERNS.get(language, DATE_PATTERNS["en"]))


def money(minor: int, currency: str) -> str:
    return format_money(minor, currency, _language())


def init_app(app) -> None:
    app.add_template_filter(money, "money")
    app.add_template_filter(local_datetime, "datetime")
    app.add_template_filter(local_date, "date")
