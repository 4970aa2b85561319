"""How pages show times, dates and money: one format per language, in the tenant's time zone.

Templates use ``|datetime``, ``|date`` and ``|money``; Python code that builds text for a
page (event sentences, flash messages) calls the same functions, so a date reads the same
wherever it appears.
"""
from datetime import date, datetime

from babel.units import format_unit
from flask_babel import format_date, format_datetime, get_locale

from app.languages import DEFAULT_LANGUAGE, INFO, LanguageInfo
from app.money import format_money


def _language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT_LANGUAGE


def _info(language: str) -> LanguageInfo:
    # Fixed patterns (app/languages.py) rather than Babel's "short"/"medium": those differ
    # between languages in order, year width and 12/24-hour clock.
    return INFO.get(language) or INFO[DEFAULT_LANGUAGE]


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
    return format_datetime(value, _info(_language()).datetime_pattern)


def local_date(value) -> str:
    """A calendar day, e.g. ``5 Jan 2026``; a moment is first moved to the tenant's zone."""
    value = _parsed(value)
    if value is None:
        return ""
    return format_date(value, _info(_language()).date_pattern)


def duration(seconds) -> str:
    """A span of time as "45 min", "3 h 20 min" or "2 d 4 h" in the page's language, with
    CLDR's short units (their plural forms included); "—" for none."""
    if seconds is None:
        return "—"
    language = _language()

    def unit(count: int, name: str) -> str:
        return format_unit(count, f"duration-{name}", length="short", locale=language)

    def pair(big: int, big_name: str, small: int, small_name: str) -> str:
        return f"{unit(big, big_name)} {unit(small, small_name)}" if small else unit(big, big_name)

    minutes = round(seconds / 60)
    if minutes < 60:
        return unit(minutes, "minute")
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return pair(hours, "hour", minutes, "minute")
    days, hours = divmod(hours, 24)
    return pair(days, "day", hours, "hour")


def money(minor: int, currency: str) -> str:
    return format_money(minor, currency, _language())


def init_app(app) -> None:
    app.add_template_filter(money, "money")
    app.add_template_filter(local_datetime, "datetime")
    app.add_template_filter(local_date, "date")
