"""Every API list answers ``{"items": [...], "next_cursor": "…" | null}``: keyset pages
(newest first) through ``paginate`` or ``page_of``, short bounded lists whole through
``whole_list`` — so a client reads every list the same way."""
import base64
import binascii

from flask_babel import gettext as _
from pydantic import BaseModel, Field

from app.api.limits import MAX_CURSOR
from app.errors import ValidationFailed
from app.extensions import db


class ListQuery(BaseModel):
    cursor: str | None = Field(None, max_length=MAX_CURSOR)
    limit: int = Field(50, ge=1, le=100)


def encode_cursor(value: int) -> str:
    return base64.urlsafe_b64encode(str(value).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        return int(base64.urlsafe_b64decode(padded.encode()).decode())
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise ValidationFailed(fields={"cursor": _("Invalid cursor.")}) from None


def cursor_of(query: ListQuery) -> int | None:
    """The key to continue below, from the query's opaque cursor (None: the first page)."""
    return decode_cursor(query.cursor) if query.cursor else None


def page_of(items, next_key: int | None, serialize) -> dict:
    """A page a service already cut: ``next_key`` is the key to continue below, or None."""
    return {"items": [serialize(item) for item in items],
            "next_cursor": encode_cursor(next_key) if next_key is not None else None}


def whole_list(items, serialize) -> dict:
    """A list short and bounded by a rule (routing rules, holidays), answered in one page."""
    return page_of(items, None, serialize)


def paginate(stmt, key_column, query: ListQuery, serialize) -> dict:
    """Keyset page over ``key_column`` descending."""
    cursor = cursor_of(query)
    if cursor is not None:
        stmt = stmt.where(key_column < cursor)
    rows = db.session.scalars(stmt.order_by(key_column.desc()).limit(query.limit + 1)).all()
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    return page_of(rows, getattr(rows[-1], key_column.key) if more and rows else None,
                   serialize)
