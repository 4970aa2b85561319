"""Cursor pagination: ``{"items": [...], "next_cursor": "…" | null}``, newest first."""
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


def paginate(stmt, key_column, query: ListQuery, serialize) -> dict:
    """Keyset page over ``key_column`` descending."""
    if query.cursor:
        stmt = stmt.where(key_column < decode_cursor(query.cursor))
    rows = db.session.scalars(stmt.order_by(key_column.desc()).limit(query.limit + 1)).all()
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    next_cursor = encode_cursor(getattr(rows[-1], key_column.key)) if more and rows else None
    return {"items": [serialize(r) for r in rows], "next_cursor": next_cursor}
