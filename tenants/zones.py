"""Time-zone names: read from the system's tz database once per process, on first use."""
from functools import lru_cache
from zoneinfo import available_timezones


@lru_cache(maxsize=1)
def timezone_names() -> tuple[str, ...]:
    """Every IANA time-zone name, sorted (about 600; reading them walks the tz database)."""
    return tuple(sorted(available_timezones()))


def is_timezone(name: str | None) -> bool:
    return bool(name) and name in _names_set()


@lru_cache(maxsize=1)
def _names_set() -> frozenset[str]:
    return frozenset(timezone_names())


def timezone_choices() -> list[tuple[str, str]]:
    """For a select field (WTForms calls this when the form is built, not at import)."""
    return [(name, name) for name in timezone_names()]
