"""What every table shares: the constraint naming convention and field helpers for enums and timestamps.

Named constraints matter: SQLite can only change a table by copying it (Alembic batch mode), which needs every
constraint to have a stable name, and a later migration can only drop a constraint it can name.
"""

from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.mutable import MutableDict
from sqlmodel import Field, SQLModel

from core.db.types import EnumString, UTCDateTime, utc_now

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION


def enum_check(column: str, enum: type[StrEnum]) -> sa.CheckConstraint:
    """CHECK (column IN (...values...)), named ck_<table>_<column>. NULL passes: nullability is the column's."""
    values = ", ".join(f"'{member.value}'" for member in enum)
    return sa.CheckConstraint(f"{column} IN ({values})", name=column)


def enum_field(enum: type[StrEnum], *, default: Any = ..., nullable: bool = False, index: bool = False) -> Any:
    return Field(default=default, sa_type=EnumString(enum), nullable=nullable, index=index)


def timestamp_field(*, nullable: bool = True, index: bool = False) -> Any:
    """An optional UTC instant (filled by the services when the event happens)."""
    return Field(default=None, sa_type=UTCDateTime(), nullable=nullable, index=index)


def created_at_field() -> Any:
    return Field(default_factory=utc_now, sa_type=UTCDateTime(), nullable=False)


def updated_at_field() -> Any:
    return Field(default_factory=utc_now, sa_type=UTCDateTime(), nullable=False, sa_column_kwargs={"onupdate": utc_now})


def date_field(*, index: bool = False) -> Any:
    return Field(default=None, sa_type=sa.Date(), nullable=True, index=index)


def text_field(length: int | None = None, *, default: Any = None, nullable: bool = True) -> Any:
    """A string column: VARCHAR(length), or TEXT when no length is given (free text such as reasons)."""
    column_type = sa.String(length) if length else sa.Text()
    return Field(default=default, sa_type=column_type, nullable=nullable)


def json_dict_field(*, nullable: bool = False) -> Any:
    """A JSON object column. In-place changes of top-level keys (`row.data["k"] = v`) are saved; changes deeper
    inside a nested value are not: assign a new dict then. Python None is SQL NULL, not JSON null."""
    column_type = MutableDict.as_mutable(sa.JSON(none_as_null=True))  # a fresh type: as_mutable tracks by identity
    return Field(default_factory=dict, sa_type=column_type, nullable=nullable)


def version_mapper_args(cls: Any) -> dict[str, Any]:
    """Optimistic locking: every UPDATE adds `AND version = <read version>` and bumps it (StaleDataError if 0 rows)."""
    return {"version_id_col": cls.__table__.c.version}


__all__ = [
    "NAMING_CONVENTION",
    "created_at_field",
    "date_field",
    "enum_check",
    "enum_field",
    "json_dict_field",
    "text_field",
    "timestamp_field",
    "updated_at_field",
    "version_mapper_args",
]
