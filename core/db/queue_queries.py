"""Queue reads in the core order, written so the database answers them from `ix_queue_entry_order`.

The order (rules-digest §5) is `priority_rank, queued_at, id` within one organisation's active entries; the
index is (organisation_id, active, priority_rank, queued_at, id), so both questions below are index range scans
and no Python sorting of a whole queue is ever needed.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql import Select
from sqlmodel import Session, col

from core.db.models.queue import QueueEntry
from core.db.types import UTCDateTime

QUEUE_ORDER = (col(QueueEntry.priority_rank), col(QueueEntry.queued_at), col(QueueEntry.id))


def _active_in(organisation_id: int) -> sa.ColumnElement[bool]:
    # `= true` (not `IS true`): the equality is what lets the planner use the index column `active`.
    return sa.and_(col(QueueEntry.organisation_id) == organisation_id, col(QueueEntry.active) == sa.true())


def first_in_queue_statement(organisation_id: int) -> Select[QueueEntry]:
    return sa.select(QueueEntry).where(_active_in(organisation_id)).order_by(*QUEUE_ORDER).limit(1)


def first_in_queue(session: Session, organisation_id: int) -> QueueEntry | None:
    """The active entry that gets the next free place of the organisation, or None for an empty queue."""
    return session.scalars(first_in_queue_statement(organisation_id)).first()


def active_queue(session: Session, organisation_id: int, *, limit: int = 100) -> list[QueueEntry]:
    """The first `limit` active entries in queue order (for staff screens)."""
    statement = sa.select(QueueEntry).where(_active_in(organisation_id)).order_by(*QUEUE_ORDER).limit(limit)
    return list(session.scalars(statement))


_SORT_TYPES: tuple[sa.types.TypeEngine[Any], ...] = (sa.Integer(), UTCDateTime(), sa.Integer())


def _sort_key(entry: QueueEntry) -> tuple[Any, ...]:
    return (entry.priority_rank, entry.queued_at, entry.id)


def entries_ahead_statement(entry: QueueEntry) -> Select[int]:
    # Typed literals, so the instant is written exactly as stored (UTC; SQLite compares the text).
    ahead = sa.tuple_(*QUEUE_ORDER) < sa.tuple_(
        *(sa.literal(value, type_) for value, type_ in zip(_sort_key(entry), _SORT_TYPES, strict=True))
    )
    return sa.select(sa.func.count()).select_from(QueueEntry).where(_active_in(entry.organisation_id), ahead)


def queue_position(session: Session, entry: QueueEntry) -> int:
    """1 for the first in the queue. The entry must be saved (flushed) and active."""
    if entry.id is None or not entry.active:
        raise ValueError("queue_position needs a saved, active queue entry")
    return int(session.scalar(entries_ahead_statement(entry)) or 0) + 1
