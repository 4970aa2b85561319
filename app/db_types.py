"""Column types shared by the models."""
from datetime import UTC, datetime

from sqlalchemy import JSON, BigInteger, DateTime, Integer
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator

# BIGINT identity on PostgreSQL; SQLite only auto-increments INTEGER PRIMARY KEY.
Id = BigInteger().with_variant(Integer, "sqlite")
Json = JSON().with_variant(JSONB(), "postgresql")


class UtcDateTime(TypeDecorator):
    """A moment stored in UTC and always read back as an aware UTC datetime.

    SQLite has no time zone in its dates: it stores the wall-clock digits and returns naive
    values, so an aware value in another zone would be stored shifted and a naive one read back
    would fail every comparison with ``utcnow()``. Values are converted to UTC on the way in and
    marked UTC on the way out, on every database alike.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:  # a naive moment in this code base is a UTC one
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def result_processor(self, dialect, coltype):
        if dialect.name == "postgresql":
            # Every PostgreSQL connection works in UTC (``app.extensions`` sets it when it
            # connects), so the driver already hands back aware UTC datetimes: no per-value
            # step (a list page reads hundreds of these).
            return None
        return super().result_processor(dialect, coltype)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)
