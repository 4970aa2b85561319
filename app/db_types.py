"""Column types shared by the models."""
from datetime import UTC, datetime

from sqlalchemy import JSON, BigInteger, DateTime, Integer
from sqlalchemy.dialects.postgresql import JSONB

# BIGINT identity on PostgreSQL; SQLite only auto-increments INTEGER PRIMARY KEY.
Id = BigInteger().with_variant(Integer, "sqlite")
Json = JSON().with_variant(JSONB(), "postgresql")
UtcDateTime = DateTime(timezone=True)


def utcnow() -> datetime:
    return datetime.now(UTC)
