"""Reading request JSON strictly: UTF-8, bounded nesting, finite numbers, 64-bit integers.

Python's ``json`` module accepts ``NaN`` and ``Infinity`` (not JSON, and PostgreSQL's
jsonb refuses them), turns ``1e999`` into infinity, and recurses once per nesting
level, so a body of a few thousand ``[`` overflows the stack. Each is refused here,
before the parser or a model sees the body.
"""
import json
import math
import re
from itertools import accumulate

from flask_babel import gettext as _
from flask_babel import ngettext

from app.api.limits import INT64, MAX_JSON_DEPTH
from app.errors import BadRequest, ValidationFailed

_STRINGS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_BRACKETS = re.compile(r"[\[\]{}]")


class _Refused(ValueError):
    pass


def too_deep(text: str) -> bool:
    """Whether arrays and objects nest deeper than the limit, counted without recursion
    (brackets inside strings don't count)."""
    if text.count("[") + text.count("{") <= MAX_JSON_DEPTH:
        return False
    steps = (1 if b in "[{" else -1 for b in _BRACKETS.findall(_STRINGS.sub("", text)))
    return max(accumulate(steps), default=0) > MAX_JSON_DEPTH


def _constant(name: str):
    raise _Refused(_("%(value)s is not a JSON number.", value=name))


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(_("The number %(value)s is out of range.", value=text[:40]))
    return value


def load(raw: bytes):
    """The parsed body, or a 400 that says what is wrong with it."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadRequest(_("The body is not valid JSON.")) from None
    if too_deep(text):
        raise BadRequest(ngettext("The JSON is nested more than %(num)d level deep.",
                                  "The JSON is nested more than %(num)d levels deep.",
                                  MAX_JSON_DEPTH))
    try:
        return json.loads(text, parse_constant=_constant, parse_float=_finite)
    except _Refused as exc:
        raise BadRequest(str(exc)) from None
    except ValueError:
        raise BadRequest(_("The body is not valid JSON.")) from None


def check_integers(value, name: str = "body") -> None:
    """Integers beyond BIGINT name no row and fit no column: a 422 on the field."""
    if isinstance(value, dict):
        for key, item in value.items():
            check_integers(item, key if name == "body" else f"{name}.{key}")
    elif isinstance(value, list | tuple):
        for item in value:
            check_integers(item, name)
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > INT64:
        raise ValidationFailed(fields={name: _("The number is out of range.")})
