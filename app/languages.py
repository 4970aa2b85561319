"""The languages the help desk speaks, defined once.

Forms, the API's validation (the ``Language`` type is an enum in the OpenAPI document), the
locale selector, the date formats and the event sentences all take them from here, so adding
a language is one edit here (and its translations).
"""
from dataclasses import dataclass
from typing import Literal, get_args

from flask_babel import LazyString, get_locale
from flask_babel import lazy_gettext as _l

Language = Literal["en", "ru", "kk"]
LANGUAGES: tuple[str, ...] = get_args(Language)
DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class LanguageInfo:
    own_name: str  # the language's name in itself: a reader finds theirs whatever the page's
    name: object  # its name in the page's language (a lazy string)
    datetime_pattern: str  # fixed Babel patterns: a moment and a day as the language writes them
    date_pattern: str


INFO: dict[str, LanguageInfo] = {
    "en": LanguageInfo("English", _l("English"), "d MMM yyyy, HH:mm", "d MMM yyyy"),
    "ru": LanguageInfo("Русский", _l("Russian"), "dd.MM.yyyy HH:mm", "dd.MM.yyyy"),
    "kk": LanguageInfo("Қазақша", _l("Kazakh"), "dd.MM.yyyy HH:mm", "dd.MM.yyyy"),
}


def language_name(code: str) -> str:
    """The language's name in the page's language (``"Kazakh"``, ``"Казахский"``); an
    unknown code is shown as it is."""
    info = INFO.get(code)
    return str(info.name) if info is not None else str(code)


def _label(code: str) -> str:
    info = INFO[code]
    locale = get_locale()
    if (locale is not None and locale.language == code) or str(info.name) == info.own_name:
        return info.own_name
    return f"{info.own_name} ({info.name})"


def language_label(code: str) -> LazyString:
    """A select's label, worked out when it is shown: the language's own name, and its name
    in the page's language when that differs (``Қазақша (Kazakh)`` on an English page)."""
    return LazyString(_label, code)


LANGUAGE_CHOICES = [(code, language_label(code)) for code in LANGUAGES]

