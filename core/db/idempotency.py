"""Idempotent webhook handling: claim an update id once; a redelivery finds it taken and is ignored."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from core.db.enums import Channel
from core.db.models.chat import ProcessedUpdate
from core.db.types import utc_now

_TABLE: sa.Table = ProcessedUpdate.__table__  # type: ignore[attr-defined]
_CONFLICT = ["channel", "update_id"]
_CLAIMS: dict[str, Any] = {}


def claim_statement(dialect_name: str) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING id, built once per dialect (the values come as parameters):
    every webhook update runs it, and building a statement costs more than running it."""
    statement = _CLAIMS.get(dialect_name)
    if statement is None:
        insert: postgresql.Insert | sqlite.Insert
        if dialect_name == "postgresql":
            insert = postgresql.insert(_TABLE).on_conflict_do_nothing(index_elements=_CONFLICT)
        else:
            insert = sqlite.insert(_TABLE).on_conflict_do_nothing(index_elements=_CONFLICT)
        statement = _CLAIMS[dialect_name] = insert.returning(_TABLE.c.id)
    return statement


def claim_update(
    executor: Session | sa.Connection, channel: Channel, update_id: str, *, at: datetime | None = None
) -> bool:
    """True the first time (channel, update_id) is seen, False for a redelivery. Never raises on a duplicate.

    INSERT ... ON CONFLICT DO NOTHING keeps the surrounding transaction usable (a failed plain INSERT would
    abort it on PostgreSQL). The claim commits or rolls back with the transaction of `executor` (a session, e.g.
    the dialogue turn the update causes, or a plain connection where no ORM work follows). `at` is when it was
    handled (the caller's clock; now by default).
    """
    bind = executor.get_bind() if isinstance(executor, Session) else executor
    values = {"channel": channel, "update_id": update_id, "processed_at": at or utc_now()}
    inserted = executor.execute(claim_statement(bind.dialect.name), values).scalar()  # a row only if inserted
    return inserted is not None
