"""Idempotent webhook handling: claim an update id once; a redelivery finds it taken and is ignored."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from core.db.enums import Channel
from core.db.models.chat import ProcessedUpdate
from core.db.types import utc_now


def claim_update(session: Session, channel: Channel, update_id: str) -> bool:
    """True the first time (channel, update_id) is seen, False for a redelivery. Never raises on a duplicate.

    INSERT ... ON CONFLICT DO NOTHING keeps the surrounding transaction usable (a failed plain INSERT would
    abort it on PostgreSQL). The claim commits or rolls back with the unit of work handling the update.
    """
    values = {"channel": channel, "update_id": update_id, "processed_at": utc_now()}
    conflict = ["channel", "update_id"]
    statement: postgresql.Insert | sqlite.Insert
    if session.get_bind().dialect.name == "postgresql":
        statement = postgresql.insert(ProcessedUpdate).values(values).on_conflict_do_nothing(index_elements=conflict)
    else:
        statement = sqlite.insert(ProcessedUpdate).values(values).on_conflict_do_nothing(index_elements=conflict)
    inserted = session.execute(statement.returning(col(ProcessedUpdate.id))).scalar()  # a row only if inserted
    return inserted is not None
