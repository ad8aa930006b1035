"""Column types shared by all tables: portable enums, UTC timestamps and IIN-masked JSON.

Each decorates a plain SQLAlchemy type, so the database sees VARCHAR, TIMESTAMP WITH TIME ZONE and JSON, and
the migrations are written with those plain types (env.py renders these decorators as their `impl`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

from core.db.masking import mask_iins

ENUM_LENGTH = 32


def utc_now() -> datetime:
    """The current instant, timezone-aware in UTC: the only clock the persistence layer reads (for defaults)."""
    return datetime.now(UTC)


class EnumString(sa.types.TypeDecorator[StrEnum]):
    """A StrEnum stored as its short string value (VARCHAR(32)), read back as the enum member.

    Native database enums are avoided: adding a member would need ALTER TYPE on PostgreSQL and nothing on SQLite.
    The allowed values are enforced by a named CHECK constraint (see `core.db.models.base.enum_check`).
    """

    impl = sa.String(ENUM_LENGTH)
    cache_ok = True

    def __init__(self, enum: type[StrEnum], length: int = ENUM_LENGTH) -> None:
        super().__init__(length)
        self.enum = enum

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return self.enum(value).value  # raises ValueError on an unknown value before the database sees it

    def process_result_value(self, value: Any, dialect: Dialect) -> StrEnum | None:
        return None if value is None else self.enum(value)


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """TIMESTAMP WITH TIME ZONE holding UTC. Naive datetimes are refused: they hide a timezone bug.

    SQLite keeps no offset, so every value is converted to UTC before it is written and marked UTC when read;
    that also makes the stored text sort in time order (the queue index relies on it).
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()} refused: pass a timezone-aware value")
        utc_value = value.astimezone(UTC)
        return utc_value.replace(tzinfo=None) if dialect.name == "sqlite" else utc_value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime from the database, got {type(value).__name__}")
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class MaskedJSON(sa.types.TypeDecorator[Any]):
    """JSON whose every IIN is masked on the way in (rules-digest §7): used for the audit log payloads."""

    impl = sa.JSON(none_as_null=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else mask_iins(value)
